"""The ASB categories residents report, with the national types (personal,
nuisance, environmental) and a first-response service level each."""

from django.db import migrations

# code, name, ASB type, casework theme, working days, about a person
CATEGORIES = [
    ("noise", "Noise", "nuisance", "asb", 5, False),
    ("rowdy", "Rowdy or inconsiderate behaviour", "nuisance", "asb", 5, False),
    ("drug-dealing", "Drug dealing or drug use", "nuisance", "drugs", 5, True),
    ("street-drinking", "Street drinking", "nuisance", "asb", 5, True),
    ("begging", "Begging", "nuisance", "asb", 5, True),
    ("intimidation", "Intimidation or harassment", "personal", "asb", 2, True),
    ("neighbours", "Problems with neighbours", "personal", "housing", 5, True),
    (
        "vandalism",
        "Vandalism or graffiti",
        "environmental",
        "criminal_damage",
        10,
        False,
    ),
    ("fly-tipping", "Fly-tipping", "environmental", "environment", 5, False),
    (
        "vehicles",
        "Abandoned or nuisance vehicles",
        "environmental",
        "environment",
        10,
        False,
    ),
    (
        "secondary-fire",
        "Deliberate fires (bins, rubbish, grass)",
        "environmental",
        "environment",
        2,
        False,
    ),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("reports", "Category")
    for order, (code, name, asb_type, theme, days, person) in enumerate(CATEGORIES):
        Category.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "asb_type": asb_type,
                "theme": theme,
                "first_response_days": days,
                "about_person": person,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
