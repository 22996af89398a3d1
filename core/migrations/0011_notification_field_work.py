from django.db import migrations, models
from django.db.models import Q

# Notices written before the flag existed, recognised by what they say: a new instruction, a reminder or 督办
# of an instruction's or a whistle call's time limit, a whistle call, a dispute ruled for the bodies that
# returned the report.
FIELD_WORK = (Q(text__startswith="新指令：") | Q(text__contains="指令#") | Q(text__contains="吹哨")
              | Q(text__startswith="职责争议已裁定："))


def flag_field_work(apps, schema_editor):
    apps.get_model("core", "Notification").objects.filter(FIELD_WORK).update(field_work=True)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0010_deadline_basis_parts"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="field_work",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(flag_field_work, migrations.RunPython.noop),
    ]
