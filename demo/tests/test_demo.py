"""The 常山县 demo loads the way `make demo` loads it and holds what the issue promises."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from catalogue.models import ClauseCandidate, EnforcementItem, ItemBasis
from catalogue.selectors import coverage
from core.audit import verify_chain
from org.models import District, Officer, Region, Team, User
from parties.models import Enterprise


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", "--enterprises", "3000", "--events", "0", "--quiet")
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--noinput")


@pytest.mark.django_db
def test_demo_catalogue_from_real_laws(demo):
    items = EnforcementItem.objects.all()
    assert items.count() >= 300
    assert items.values("domain").distinct().count() >= 20
    # every item cites a real article of a bundled law
    assert not items.annotate(n=Count("itembasis")).filter(n=0).exists()
    assert ItemBasis.objects.filter(article__text="").count() == 0
    assert ClauseCandidate.objects.filter(status="pending").exists()  # the review queue has work
    assert ClauseCandidate.objects.filter(status="rejected").exists()


@pytest.mark.django_db
def test_demo_organisation(demo):
    assert Region.objects.filter(level="township").count() == 14
    assert District.objects.count() == 7
    assert Team.objects.filter(kind="professional").count() == 5
    assert Team.objects.filter(kind="town").count() == 7
    assert Officer.objects.filter(is_auxiliary=False).count() >= 200
    assert Officer.objects.filter(stationed_town__isnull=False, is_auxiliary=False).count() >= 60
    assert all(r.boundary_approximate for r in Region.objects.filter(level="township"))
    roles = set(User.objects.values_list("role", flat=True))
    assert roles >= {"operator", "guidance", "bureau_officer", "pro_officer", "town_officer", "grid_worker",
                     "dept_supervisor", "legal_reviewer", "leader", "citizen", "admin", "agency_head"}
    # each body a demo officer logs in to has a head to approve its filings and make its decisions
    for username in ("zfj_officer", "scjg_officer", "tianma_officer", "huibu_officer"):
        department = User.objects.get(username=username).department
        assert User.objects.filter(role="agency_head", department=department, is_active=True).count() == 1, username


@pytest.mark.django_db
def test_demo_enterprises_are_synthetic_and_located(demo):
    assert Enterprise.objects.count() >= 3000
    assert not Enterprise.objects.filter(synthetic=False).exists()
    assert not Enterprise.objects.filter(town__isnull=True).exists()


@pytest.mark.django_db
def test_demo_coverage_and_audit(demo):
    c = coverage()
    assert c.no_holder == [] and c.multiple_holders == [] and c.towns_without_team == []
    # the transport boundary row cites a regulation not yet in the library: coverage says so
    assert [codes for _r, codes in c.boundary_unknown_items] == [["330822270001"]]
    assert verify_chain().ok


@pytest.mark.django_db
def test_demo_is_idempotent(demo, capsys):
    call_command("load_demo")
    assert "demo already loaded" in capsys.readouterr().out
