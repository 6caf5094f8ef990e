"""Runners drive the coder over many documents. Nothing else imports them."""
