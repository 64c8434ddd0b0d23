"""Settings of the Quality Week site: everything here, values from the environment.

`base` is Django's core (apps, database, cache, mail, tasks, languages, files),
`security` the production hardening and logging, `site` the site's own
QUALITYWEEK_* settings, `observability` what the operator sees (log format,
request IDs, error reports, metrics, readiness). Each reads the environment
through `base.env`.
"""

from .base import *  # noqa: F403
from .security import *  # noqa: F403
from .site import *  # noqa: F403

# isort: split
# Last: it extends the middleware, the logging and the redirect exemptions above.
from .observability import *  # noqa: F403
