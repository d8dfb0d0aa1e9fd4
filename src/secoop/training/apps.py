from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "secoop.training"
    label = "training"
    verbose_name = "International education and training: courses, CETPP, students, ITOs"
