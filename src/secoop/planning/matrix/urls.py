"""URLs of the synchronization matrix (R-PLN-09): the page, rescheduling, the exports."""

from django.urls import path

from . import views

app_name = "planning-matrix"

urlpatterns = [
    path("country-plans/<int:pk>/matrix/", views.matrix_page, name="matrix"),
    path("country-plans/<int:pk>/matrix/reschedule/", views.reschedule, name="reschedule"),
    path("country-plans/<int:pk>/matrix/request/", views.request_move, name="request"),
    path("country-plans/<int:pk>/matrix/move/", views.move_action, name="move"),
    path("country-plans/<int:pk>/export/<str:fmt>/", views.export, name="export"),
]
