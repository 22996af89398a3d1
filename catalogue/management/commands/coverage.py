import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from catalogue.selectors import coverage


class Command(BaseCommand):
    help = "Catalogue coverage: items with no holder or several, boundary rows pointing at unknown items, " \
           "towns without a team, dormant items."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="state on this date (YYYY-MM-DD), default today")
        parser.add_argument("--dormant-years", type=int)
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--fail-on-problems", action="store_true",
                            help="exit non-zero when any holder/boundary/town problem exists")

    def handle(self, *args, **opts):
        try:
            on = dt.date.fromisoformat(opts["date"]) if opts["date"] else dt.date.today()
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD") from None
        c = coverage(on=on, dormant_years=opts["dormant_years"])
        data = {
            "date": on.isoformat(), "dormant_years": c.dormant_years,
            "no_holder": [i.code for i in c.no_holder],
            "multiple_holders": {i.code: [h.department.name for h in hs] for i, hs in c.multiple_holders},
            "boundary_unknown_items": {r.code: codes for r, codes in c.boundary_unknown_items},
            "towns_without_team": [t.name for t in c.towns_without_team],
            "dormant": len(c.dormant),
        }
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"coverage on {on}:")
            self.stdout.write(f"  items without holder: {len(c.no_holder)} {' '.join(data['no_holder'][:20])}")
            self.stdout.write(f"  items with several holders: {len(c.multiple_holders)}")
            for code, names in data["multiple_holders"].items():
                self.stdout.write(f"    {code}: {', '.join(names)}")
            self.stdout.write(f"  boundary rows pointing at unknown items: {len(c.boundary_unknown_items)}")
            for code, codes in data["boundary_unknown_items"].items():
                self.stdout.write(f"    {code}: {', '.join(codes)}")
            self.stdout.write(f"  towns without team: {len(c.towns_without_team)} {' '.join(data['towns_without_team'])}")
            self.stdout.write(f"  dormant items (no case in {c.dormant_years} years): {len(c.dormant)}")
        if opts["fail_on_problems"] and c.problem_count:
            raise CommandError(f"{c.problem_count} coverage problems")
