"""Training the coder's decisions (`sitroom train`). Nothing on the coding path imports this."""
