from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "secoop.cases"
    label = "cases"
    verbose_name = "Foreign Military Sales cases: LORs, CTAs, LOAs, deliveries, closure"
