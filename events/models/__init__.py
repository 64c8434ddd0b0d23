from .editions import Edition, EditionQuerySet
from .event import Event, EventQuerySet
from .materials import Material, MaterialQuerySet
from .people import Organiser, Speaker
from .places import Region, RegionalParticipation, RegionQuerySet, Venue
from .revision import ProgrammeRevision

__all__ = [
    "Edition",
    "EditionQuerySet",
    "Event",
    "EventQuerySet",
    "Material",
    "MaterialQuerySet",
    "Organiser",
    "ProgrammeRevision",
    "Region",
    "RegionQuerySet",
    "RegionalParticipation",
    "Speaker",
    "Venue",
]
