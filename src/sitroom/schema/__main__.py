"""`python -m sitroom.schema` rewrites the shipped event schema from the records."""

from sitroom.schema import write_schema

print(write_schema())
