"""Uploaded media in an S3-compatible store, served under the site's /media/.

Pages load nothing from another host, so the store's own URLs are never put in a
page: `url()` gives the site's address and `qualityweek.views.media` streams the
file from whichever storage holds it.
"""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class MediaStorage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        return "/" + settings.MEDIA_URL.strip("/") + "/" + filepath_to_uri(name)
