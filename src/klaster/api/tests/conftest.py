import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from klaster.core.models import ApiToken


@pytest.fixture
def editor(db) -> User:
    """A user with add/change permissions on every registry model."""
    user = User.objects.create_user("editor", password="pw-editor-12345")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="registry", codename__regex=r"^(add|change)_")
    )
    return user


@pytest.fixture
def editor_client(editor) -> Client:
    _, key = ApiToken.issue(user=editor, name="tests")
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.fixture
def reader_client(db) -> Client:
    user = User.objects.create_user("reader", password="pw-reader-12345")
    _, key = ApiToken.issue(user=user)
    return Client(headers={"Authorization": f"Bearer {key}"})
