"""Authentication for API writes: the browser session (with CSRF) or a bearer token (`klaster token`)."""

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from klaster.core.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=ApiToken.hash_key(token), is_active=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        request.user = found.user
        return found.user


ApiAuth = [TokenAuth(), django_auth]
