"""Every command about one partnership refuses a slug that names none in the
same words and with the same exit status, so that a script can rely on them."""

import pytest
from django.core.management import get_commands, load_command_class
from django.core.management.base import CommandError

from csphub.accounts.commands import PartnershipCommand


def partnership_commands():
    """(name, command) of the project's commands about one partnership."""
    found = []
    for name, app in sorted(get_commands().items()):
        if app.startswith("csphub."):
            command = load_command_class(app, name)
            if isinstance(command, PartnershipCommand):
                found.append((name, command))
    return found


def test_the_partnership_commands_are_found():
    names = {name for name, _ in partnership_commands()}
    assert {"import_crime", "spend_matrix", "agenda_pack", "import_gazetteer"} <= names
    assert len(names) >= 12


@pytest.mark.django_db
@pytest.mark.parametrize("name, command", partnership_commands())
def test_an_unknown_partnership_is_refused_alike(name, command):
    with pytest.raises(CommandError) as refused:
        command.handle(partnership="nowhere")
    assert str(refused.value) == "no partnership with slug 'nowhere'"
    assert refused.value.returncode == 2
