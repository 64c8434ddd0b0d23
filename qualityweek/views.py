from django.shortcuts import redirect, render
from django.templatetags.static import static


def csrf_failure(request, reason=""):
    """A refused form in the site's own design and language, not Django's page."""
    return render(request, "403_csrf.html", status=403)


def favicon(request):
    """Browsers and the admin ask for /favicon.ico: the logo answers."""
    return redirect(static("img/logo.svg"), permanent=True)
