"""接入系统 (12345 hotline, drone platform, cameras, department systems, Open311 apps) and their API keys."""

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import ApplicationError
from intake.models import ApiClient
from intake.services import api_client_create, api_client_deactivate
from org.models import Department, User


class Command(BaseCommand):
    help = ("List the systems that send events, create one (its API key is printed once; only its hash is "
            "kept) or deactivate one (its key stops working at once). Writes are done as --by, audited.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="every system, active or not")
        create = sub.add_parser("create", help="a new system and its key")
        create.add_argument("--name", required=True)
        create.add_argument("--kind", required=True, choices=ApiClient.Kind.values)
        create.add_argument("--department", help="code of the department whose system it is (部门系统)")
        create.add_argument("--by", required=True, help="username of the administrator doing it")
        off = sub.add_parser("deactivate", help="stop a system's key")
        off.add_argument("--name", required=True)
        off.add_argument("--by", required=True)

    def handle(self, *args, **o):
        if o["action"] == "list":
            for c in ApiClient.objects.select_related("department").order_by("name"):
                self.stdout.write("\t".join([c.name, c.kind, c.department.code if c.department else "-",
                                             c.key_prefix + "…", "active" if c.active else "deactivated",
                                             c.created_at.strftime("%Y-%m-%d")]))
            return
        actor = User.objects.filter(username=o["by"], is_active=True).first()
        if actor is None:
            raise CommandError(f"--by: no active user “{o['by']}”")
        try:
            if o["action"] == "create":
                department = None
                if o["department"]:
                    department = Department.objects.filter(code=o["department"]).first()
                    if department is None:
                        raise CommandError(f"--department: no department with code “{o['department']}”")
                client, key = api_client_create(actor=actor, name=o["name"], kind=o["kind"], department=department)
                self.stdout.write(f"created {client.name} ({client.kind}). Its key, shown this once — give it to "
                                  f"the system's operator over a safe channel:\n{key}")
            else:
                client = ApiClient.objects.filter(name=o["name"]).first()
                if client is None:
                    raise CommandError(f"--name: no system named “{o['name']}”")
                api_client_deactivate(actor=actor, client=client)
                self.stdout.write(f"deactivated {client.name}: its key no longer works")
        except ApplicationError as exc:
            detail = "; ".join(("" if k == "__all__" else f"--{k}: ") + "；".join(v) for k, v in exc.errors.items())
            raise CommandError(f"{exc.message} ({detail})") from None
