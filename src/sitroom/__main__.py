"""`python -m sitroom` runs the command line."""

from sitroom.cli import app

app(prog_name="sitroom")
