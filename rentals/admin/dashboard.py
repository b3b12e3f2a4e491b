"""The staff dashboard: rentals, revenue, best sellers and overdue copies, drawn as SVG charts."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString

from rentals import dashboard
from rentals.admin.charts import bar_chart, column_chart, count, dollars


@dataclass(frozen=True)
class Chart:
    """A chart of the page: its anchor, heading, what it shows, and the drawing."""

    slug: str
    title: str
    caption: str
    svg: SafeString


def store_names(values: dict[int, list[dashboard.Figure]]) -> dict[str, list[dashboard.Figure]]:
    return {f"Store {store}": figures for store, figures in values.items()}


def charts() -> list[Chart]:
    """The page's charts, each from its selector (3 queries at most each)."""
    daily = dashboard.rentals_per_day()
    revenue = dashboard.revenue_per_month()
    films = dashboard.most_rented_films()
    categories = dashboard.most_rented_categories()
    overdue = dashboard.overdue_per_store()
    return [
        Chart(
            "rentals-per-day",
            "Rentals per day",
            f"The {dashboard.DAYS_SHOWN} days up to the latest rental (UTC), by the copy's store.",
            column_chart(
                title="Rentals per day",
                labels=daily.labels,
                series=store_names(daily.values),
                stacked=True,
                ticks=[day[:7] if day.endswith("-01") else "" for day in daily.labels],
            ),
        ),
        Chart(
            "revenue-per-month",
            "Revenue per month",
            f"Payments over the {dashboard.MONTHS_SHOWN} months up to the latest one (UTC), "
            "by the store of the rented copy.",
            column_chart(
                title="Revenue per month",
                labels=revenue.labels,
                series=store_names(revenue.values),
                show=dollars,
            ),
        ),
        Chart(
            "top-films",
            "Most rented films",
            f"The {dashboard.TOP_SHOWN} films rented most often.",
            bar_chart(
                title="Most rented films", labels=films.labels, values=films.values, show=count
            ),
        ),
        Chart(
            "top-categories",
            "Most rented categories",
            f"The {dashboard.TOP_SHOWN} categories whose films were rented most often.",
            bar_chart(
                title="Most rented categories",
                labels=categories.labels,
                values=categories.values,
                show=count,
            ),
        ),
        Chart(
            "overdue-per-store",
            "Overdue copies per store",
            "Copies still out past their due date now.",
            bar_chart(
                title="Overdue copies per store",
                labels=overdue.labels,
                values=overdue.values,
                show=count,
            ),
        ),
    ]


def dashboard_view(request: HttpRequest) -> TemplateResponse:
    """Staff only: mounted through admin.site.admin_view (pagila_site.config.urls)."""
    context = {**admin.site.each_context(request), "title": "Store dashboard", "charts": charts()}
    return TemplateResponse(request, "admin/rentals/dashboard.html", context)
