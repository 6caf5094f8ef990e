"""sitroom: international news in, sourced who-did-what-to-whom event data out."""

from sitroom.coding import code, code_many
from sitroom.records import Actor, Document, Event, Location, Trigger

__all__ = ["Actor", "Document", "Event", "Location", "Trigger", "code", "code_many"]
__version__ = "0.1.0"
