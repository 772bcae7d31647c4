# One settlement per schedule per calendar period (security review, finding 8).

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models


def label_past_runs(apps, schema_editor):
    """Label each past run with its calendar period. Where a period was already settled twice
    (the bug this fixes), only the first settled run keeps its label, so the constraint holds;
    the history itself is untouched."""
    SettlementRun = apps.get_model("wallet", "SettlementRun")
    tz = ZoneInfo(settings.TIME_ZONE)
    settled = set()
    runs = SettlementRun.objects.select_related("schedule").order_by("period", "pk")
    for run in runs.iterator():
        label = _label(run.schedule.schedule_type, run.period.astimezone(tz))
        key = (run.schedule_id, label)
        if run.outcome == "settled" and label:
            if key in settled:
                continue
            settled.add(key)
        SettlementRun.objects.filter(pk=run.pk).update(calendar_period=label)


def _label(schedule_type, local):
    if schedule_type == "daily":
        return local.strftime("%Y-%m-%d")
    if schedule_type == "weekly":
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    if schedule_type == "monthly":
        return local.strftime("%Y-%m")
    return ""


class Migration(migrations.Migration):
    dependencies = [
        ("wallet", "0010_hardening_webhook_refusals"),
    ]

    operations = [
        migrations.AddField(
            model_name="settlementrun",
            name="calendar_period",
            field=models.CharField(
                blank=True,
                help_text="The local day, ISO week or month of `period` (empty for threshold schedules).",
                max_length=10,
            ),
        ),
        migrations.RunPython(label_past_runs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="settlementrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("outcome", "settled"), models.Q(("calendar_period", ""), _negated=True)),
                fields=("schedule", "calendar_period"),
                name="settlement_run_one_settlement_per_calendar_period",
            ),
        ),
    ]
