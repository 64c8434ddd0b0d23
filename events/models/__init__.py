from .certificates import BrandKit, Certificate, CertificateQuerySet
from .editions import Edition, EditionQuerySet, Idea
from .embeds import EmbedOrigin
from .event import Event, EventQuerySet
from .materials import Material, MaterialQuerySet
from .notices import ChangeNotice
from .people import Organiser, Speaker
from .places import Region, RegionalParticipation, RegionQuerySet, Venue
from .revision import ProgrammeRevision

__all__ = [
    "BrandKit",
    "Certificate",
    "CertificateQuerySet",
    "ChangeNotice",
    "Edition",
    "EditionQuerySet",
    "EmbedOrigin",
    "Event",
    "EventQuerySet",
    "Idea",
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
