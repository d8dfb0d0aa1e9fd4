"""Hand edits after gen.py (`python post.py OUTDIR`): data migrations that only converted rows of a database migrated
before them (no such row exists in a fresh build, and every older database has them applied)."""

import re
import sys

OUT = sys.argv[1]


def edit(app, fn):
    p = f"{OUT}/{app}/0001_squashed.py"
    s = open(p).read()
    s2 = fn(s)
    assert s2 != s, app
    open(p, "w").write(s2)


def drop_def(s, name):
    return re.sub(rf"\ndef {name}\(.*?(?=\n\n\n|\n# ---)", "", s, count=1, flags=re.S)


END = "carries its file's number).\n"


def core(s):
    s = s.replace(
        END,
        END[:-1]
        + " Left out: 0009's fill_time_zones, which gave the\norganizations on record a time zone (a fresh database has none at that point).\n",
        1,
    )
    s = drop_def(s, "fill_time_zones")
    s = s.replace("# --- from 0009_organization_time_zone ---\n", "")
    return s.replace(
        "        migrations.RunPython(fill_time_zones, migrations.RunPython.noop),\n", ""
    )


def cases(s):
    s = s.replace(
        END,
        END[:-1]
        + " Left out: 0009's move_withdrawals, which moved\nwithdrawal dates of DCS licenses on record (a fresh database has none).\n",
        1,
    )
    s = drop_def(s, "move_withdrawals")
    s = drop_def(s, "keep_withdrawals")
    s = s.replace("# --- from 0009_dcs_withdrawn_on ---\n", "")
    return s.replace(
        "        # 0009_dcs_withdrawn_on\n        migrations.RunPython(move_withdrawals, keep_withdrawals),\n",
        "",
    )


def training(s):
    s = drop_def(s, "texts_back")
    old = re.search(r"def codes_and_cases\(apps, schema_editor\):.*?(?=\n\n\n)", s, re.S).group(0)
    new = '''def imet_priorities(apps, schema_editor):
    """Seed the IMET priority codes. (0004 also turned each CETPP line's free-text priority and
    case into links: a database with such lines has 0004 applied; a fresh one has none.)"""
    ImetPriority = apps.get_model("training", "ImetPriority")
    for code, label, source, notes in PRIORITIES:
        ImetPriority.objects.update_or_create(
            code=code, defaults={"label": label, "source": source, "notes": notes}
        )'''
    s = s.replace(old, new)
    return s.replace(
        "migrations.RunPython(codes_and_cases, texts_back)",
        "migrations.RunPython(imet_priorities, migrations.RunPython.noop)",
    )


edit("core", core)
edit("cases", cases)
edit("training", training)
