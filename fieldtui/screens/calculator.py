"""CalculatorScreen (Kalkulator iuran, F5): "berapa iurannya?" answered as the officer types.

Income (as officers write it: 1.500.000, 1,5jt, 750rb), JHT, employer, occupation (a shortcut
that sets the sector), sector, months paid ahead and date go in on the left; the breakdown on
the right follows every keystroke: band and
base, each programme's gross, discount and net, the monthly and period totals, and the discount
rule in force with its end date. The sums come from `contribution_for`; nothing is computed here.
"""

from __future__ import annotations

import datetime as dt

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Select, Static

from fieldtui.domain import occupations
from fieldtui.domain.contributions import (
    PERIOD_MONTHS,
    SECTORS,
    Contribution,
    ContributionError,
    Sector,
    contribution_for,
)
from fieldtui.domain.models import BpuCategory
from fieldtui.i18n import fmt_date, fmt_money, fmt_number, t
from fieldtui.screens.base import FieldScreen
from fieldtui.widgets.date_input import DateInput
from fieldtui.widgets.field import FormField, Tone
from fieldtui.widgets.income_input import IncomeInput
from fieldtui.widgets.key_footer import KeyFooter
from fieldtui.widgets.nav_bar import NavBar
from fieldtui.widgets.ordered_input import OrderedInput
from fieldtui.widgets.tick_box import TickBox


def months_label(months: int) -> str:
    """'1 bulan', '3 bulan' … in the current language."""
    return t("calc.months_one") if months == 1 else t("calc.months_n", months=months)


def breakdown_table(c: Contribution) -> Table:
    """Each programme's rate, gross, discount and net a month, with the monthly sums.

    Amounts are plain numbers (the totals under the table carry "Rp") so that the table fits
    beside the form at 80 columns even for the top band.
    """
    table = Table(show_footer=True, box=None, pad_edge=False, collapse_padding=True)
    table.add_column(t("calc.col.programme"), footer=t("calc.col.total"), no_wrap=True)
    table.add_column(t("calc.col.rate"), justify="right")
    table.add_column(t("calc.col.gross"), justify="right", footer=fmt_number(c.monthly_gross_rp))
    table.add_column(
        t("calc.col.discount"),
        justify="right",
        footer=fmt_number(c.monthly_discount_rp) if c.monthly_discount_rp else "–",
    )
    table.add_column(t("calc.col.net"), justify="right", footer=fmt_number(c.monthly_rp))
    for line in c.lines:
        table.add_row(
            line.programme.value.upper(),
            line.tarif(),
            fmt_number(line.gross_rp),
            fmt_number(line.discount_rp) if line.discount_rp else "–",
            fmt_number(line.net_rp),
        )
    return table


def notes(c: Contribution) -> list[str]:
    """The discount rules in force and until when, and whether JHT was made compulsory."""
    out = [rule.summary() for rule in c.rules] or [t("iuran.no_discount")]
    if c.jht_forced:
        out.append(t("contributions.jht_forced"))
    return out


def warnings(c: Contribution) -> list[str]:
    """What the officer must check: a discount that ends before the months paid for do."""
    return [
        t("contributions.warning.rule_ends", until=fmt_date(rule.end))
        for rule in c.rules_ending_in_period()
    ]


class CalculatorScreen(FieldScreen):
    """Kalkulator iuran: a live contribution breakdown."""

    CSS_PATH = "calculator.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (72, "-wide")]
    BINDINGS = [
        Binding("ctrl+t", "toggle_jht", "keys.calc_jht"),
        Binding("ctrl+n", "new", "keys.calc_new"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.result: Contribution | None = None
        self._jht_chosen = False  # what the officer chose before "employer" forced JHT

    def compose(self) -> ComposeResult:
        yield NavBar()
        with ScrollableContainer(id="calc-body"):
            with VerticalScroll(id="calc-form"):
                yield FormField(
                    t("calc.income"),
                    IncomeInput(id="calc-income", placeholder="1.500.000"),
                    id="field-income",
                )
                yield TickBox(t("calc.jht"), id="calc-jht", compact=True)
                yield TickBox(t("calc.employer"), id="calc-employer", compact=True)
                labels = [o.label for o in occupations.all()]
                yield FormField(
                    t("calc.occupation"),
                    OrderedInput(
                        id="calc-occupation",
                        placeholder=t("calc.occupation_placeholder"),
                        suggester=SuggestFromList(labels, case_sensitive=False),
                    ),
                    id="field-occupation",
                )
                sectors = [(t(f"calc.sector_{s}"), s) for s in SECTORS]
                yield FormField(
                    t("calc.sector"),
                    Select(
                        sectors, value="other", allow_blank=False, compact=True, id="calc-sector"
                    ),
                    id="field-sector",
                )
                months = [(months_label(m), m) for m in PERIOD_MONTHS]
                yield FormField(
                    t("calc.months"),
                    Select(months, value=1, allow_blank=False, compact=True, id="calc-months"),
                    id="field-months",
                )
                yield FormField(
                    t("calc.date"),
                    DateInput(self.field_app.today(), id="calc-date"),
                    id="field-date",
                )
            with VerticalScroll(id="calc-result"):
                yield Static("", id="calc-heading")
                yield Static("", id="calc-band")
                yield Static("", id="calc-table")
                yield Static("", id="calc-monthly")
                yield Static("", id="calc-period")
                yield Static("", id="calc-notes")
                yield Static("", id="calc-warning")
                yield Static("", id="calc-source")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#field-income", FormField).show(t("calc.income_hint"))
        self.query_one("#calc-income", IncomeInput).focus()
        self.recompute()

    # -- reading the form ------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "calc-occupation":
            self._occupation_typed(event.value)
        self.recompute()

    def _occupation_typed(self, text: str) -> None:
        # The occupation is a shortcut to the sector: the best match sets it (and says so).
        field = self.query_one("#field-occupation", FormField)
        if not text.strip():
            field.show("")
            return
        found = occupations.search(text, limit=1)
        if not found:
            field.show(t("calc.occupation_unknown"), Tone.WARNING)
            return
        occupation = found[0]
        sector = t(f"contributions.sector.{occupation.sector}")
        field.show(t("calc.occupation_sector", label=occupation.label, sector=sector), Tone.OK)
        self.query_one("#calc-sector", Select).value = occupation.sector

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if event.checkbox.id == "calc-employer":
            jht = self.query_one("#calc-jht", Checkbox)
            if event.value:
                self._jht_chosen = jht.value
                jht.value = True  # a pemberi kerja must take JHT
            else:
                jht.value = self._jht_chosen
            jht.disabled = event.value
        self.recompute()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.recompute()

    def _income(self) -> int | None:
        income = self.query_one("#calc-income", IncomeInput)
        field = self.query_one("#field-income", FormField)
        problem = income.problem
        if problem is not None:
            field.show(t(problem, value=income.value.strip()), Tone.WARNING)
        elif income.amount is None:
            field.show(t("calc.income_hint"))
        else:
            field.show(t("calc.income_read", amount=fmt_money(income.amount)), Tone.OK)
        return income.amount

    def _date(self) -> dt.date | None:
        on = self.query_one("#calc-date", DateInput).date
        field = self.query_one("#field-date", FormField)
        field.show("" if on is not None else t("form.bad_date"), Tone.ERROR)
        return on

    def recompute(self) -> None:
        """Compute the contribution for what the form holds now and show it."""
        income, on = self._income(), self._date()
        sector = self.query_one("#calc-sector", Select).value
        months = self.query_one("#calc-months", Select).value
        employer = self.query_one("#calc-employer", Checkbox).value
        result: Contribution | None = None
        if income is not None and on is not None:
            try:
                result = contribution_for(
                    income,
                    on=on,
                    sector=_sector(sector),
                    jht=self.query_one("#calc-jht", Checkbox).value,
                    category=BpuCategory.PEMBERI_KERJA if employer else BpuCategory.PEKERJA_MANDIRI,
                    months=months if isinstance(months, int) else 1,
                )
            except ContributionError as exc:
                self.query_one("#field-income", FormField).show(exc.message(), Tone.ERROR)
        self.result = result
        self._show(result)

    # -- the breakdown ---------------------------------------------------------------------

    def _show(self, c: Contribution | None) -> None:
        def put(widget_id: str, content: object) -> None:
            widget = self.query_one(widget_id, Static)
            widget.update(content)  # type: ignore[arg-type]
            widget.display = bool(content)

        if c is None:
            put("#calc-heading", t("calc.empty"))
            for widget_id in ("#calc-band", "#calc-table", "#calc-monthly", "#calc-period"):
                put(widget_id, "")
            for widget_id in ("#calc-notes", "#calc-warning", "#calc-source"):
                put(widget_id, "")
            return
        sector = t(f"contributions.sector.{c.sector}")
        put("#calc-heading", t("iuran.title", date=fmt_date(c.on), sector=sector))
        put("#calc-band", c.describe()[0])
        put("#calc-table", breakdown_table(c))
        put("#calc-monthly", t("contributions.monthly", amount=fmt_money(c.monthly_rp)))
        put(
            "#calc-period",
            t("contributions.period", months=c.months, amount=fmt_money(c.period_rp))
            if c.months > 1
            else "",
        )
        put("#calc-notes", "\n".join(notes(c)))
        put("#calc-warning", "\n".join(warnings(c)))
        put("#calc-source", t("iuran.table_source", edition=c.table.edition))

    # -- actions ---------------------------------------------------------------------------

    def action_toggle_jht(self) -> None:
        """Take JHT or not (a pemberi kerja always takes it)."""
        jht = self.query_one("#calc-jht", Checkbox)
        if not jht.disabled:
            jht.toggle()

    def action_new(self) -> None:
        """Clear the income and start again with today's date."""
        self.query_one("#calc-income", IncomeInput).value = ""
        self.query_one("#calc-occupation", Input).value = ""
        self.query_one("#calc-sector", Select).value = "other"
        self.query_one("#calc-employer", Checkbox).value = False
        self.query_one("#calc-jht", Checkbox).value = False
        self.query_one("#calc-months", Select).value = 1
        self.query_one("#calc-date", DateInput).date = self.field_app.today()
        self.query_one("#calc-income", IncomeInput).focus()


def _sector(value: object) -> Sector:
    return "transport" if value == "transport" else "other"
