"""URLs of the synchronization matrix (R-PLN-09): the page, rescheduling, the exports."""

from django.urls import path

from . import matrix_views

app_name = "planning-matrix"

urlpatterns = [
    path("country-plans/<int:pk>/matrix/", matrix_views.matrix_page, name="matrix"),
    path("country-plans/<int:pk>/matrix/reschedule/", matrix_views.reschedule, name="reschedule"),
    path("country-plans/<int:pk>/export/<str:fmt>/", matrix_views.export, name="export"),
]
