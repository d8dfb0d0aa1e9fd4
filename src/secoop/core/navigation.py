"""The primary navigation of every signed-in page, built in Python (issue 15, the stack floor).

base.html drew it with twenty `{% url %}` reversals and sixteen includes of a nav-item template,
each evaluating its own conditions: the largest part of a bare page's template time. The links do
not change while the process runs (arg-less URL names, reversed once per URLconf and script
prefix); only which of them a user is offered (their audience, R-SEC-03: a partner has no planning
menu; an administrator's menu has Administration) and which one is current (the request's path)
differ, and that is decided here per request. The HTML is what includes/nav_item.html wrote.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix
from django.urls import get_urlconf
from django.urls import reverse
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.safestring import mark_safe

from .rules import Audience

USG, PARTNER, INDUSTRY = Audience.USG, Audience.PARTNER, Audience.INDUSTRY

# (URL name, label, long name, the audiences offered it — None: everyone, current only on the page
# itself). The apps' row, in its order.
APPS = (
    ("home", "Today", "", None, True),
    ("planning:index", "Planning", "", {USG}, False),
    ("cases:index", "Cases", "", {USG, PARTNER}, False),
    ("training:index", "Training", "", {USG, PARTNER}, False),
    ("analysis:index", "Analysis", "", {USG}, False),
    ("eum:index", "EUM", "End-use monitoring", {USG, PARTNER}, False),
    ("cases:dcs-licenses", "DCS licenses", "", {INDUSTRY}, False),
    ("budget:index", "Budget", "", {USG}, False),
    ("assessment:index", "Assessment", "", {USG, PARTNER}, False),
)
# The shared records every app points to: one menu, so that the apps' row stays on one line.
RECORDS = (
    ("organizations", "Organizations"),
    ("countries", "Countries"),
    ("documents", "Documents"),
    ("people", "People"),
    ("changes", "Change log"),
)
# Other arg-less links of the base template (brand, account, sign-out, footer).
OTHER = ("my-account", "logout", "rules", "api-docs", "admin:index")


@lru_cache(maxsize=16)
def _reversed(urlconf: str, prefix: str) -> dict[str, str]:
    names = [n for n, *_ in APPS] + [n for n, _ in RECORDS] + list(OTHER)
    return {name: reverse(name, urlconf=urlconf) for name in names}


def _key() -> tuple[str, str]:
    return (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


def url(name: str) -> str:
    """`reverse(name)` for the navigation's arg-less names, once per URLconf and script prefix."""
    return _reversed(*_key())[name]


def _item(href: str, label: str, current: bool, here: bool, long="", sub=False) -> str:
    return format_html(
        '<li class="{}"><a class="{}{}" href="{}"{}{}><span>{}</span></a></li>',
        "usa-nav__submenu-item" if sub else "usa-nav__primary-item",
        "" if sub else "usa-nav-link",
        " usa-current" if current else "",
        href,
        mark_safe(' aria-current="page"') if here else "",
        format_html(' title="{}"', long) if long else "",
        format_html('<abbr title="{}">{}</abbr>', long, label) if long else label,
    )


def _is_current(href: str, path: str, exact: bool) -> bool:
    return path == href if exact else href in path


@lru_cache(maxsize=256)
def _apps_html(key: tuple, audience: str, flags: tuple[tuple[bool, bool], ...]) -> SafeString:
    """The apps' row for an audience, given which item is current and which is this page: a few
    dozen distinct answers in all, so each is built once (`key`: the URLconf and script prefix)."""
    offered = [app for app in APPS if app[3] is None or audience in app[3]]
    return format_html_join(
        "\n",
        "{}",
        (
            (_item(url(name), label, current, here, long=long),)
            for (name, label, long, _, _), (current, here) in zip(offered, flags, strict=True)
        ),
    )


def apps_menu(user, path: str) -> SafeString:
    """The apps' row: the items the user's audience is offered, the current one marked."""
    flags = tuple(
        (_is_current(url(name), path, exact), path == url(name))
        for name, _, _, audiences, exact in APPS
        if audiences is None or user.audience in audiences
    )
    return _apps_html(_key(), user.audience, flags)


@lru_cache(maxsize=64)
def _records_html(key: tuple, admin: bool, flags: tuple[tuple[bool, bool], ...]) -> SafeString:
    links = [(url(name), label) for name, label in RECORDS]
    if admin:
        links.append((url("admin:index"), "Administration"))
    return format_html(
        '<li class="usa-nav__primary-item">\n'
        '<button type="button" class="usa-accordion__button usa-nav__link{}" '
        'aria-expanded="false" aria-controls="nav-records"><span>Records</span></button>\n'
        '<ul id="nav-records" class="usa-nav__submenu" hidden>\n{}\n</ul>\n</li>',
        " usa-current" if any(current for current, _ in flags[: len(RECORDS)]) else "",
        format_html_join(
            "\n",
            "{}",
            (
                (_item(href, label, current, here, sub=True),)
                for (href, label), (current, here) in zip(links, flags, strict=True)
            ),
        ),
    )


def records_menu(user, path: str, is_administrator: bool) -> SafeString:
    """The Records menu: the shared records, and Administration for a staff administrator."""
    names = [name for name, _ in RECORDS]
    admin = bool(user.is_staff and is_administrator)
    if admin:
        names.append("admin:index")
    flags = tuple((url(name) in path, url(name) == path) for name in names)
    return _records_html(_key(), admin, flags)
