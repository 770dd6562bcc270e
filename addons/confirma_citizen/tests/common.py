# Copyright 2026 Confirm@ contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import builtins
import contextlib
import json
from pathlib import Path
from unittest.mock import patch

from odoo.tests import TransactionCase, new_test_user

from odoo.addons.queue_job.tests.common import trap_jobs


def new_role_users(env, module, prefix):
    """A user, an officer and a manager (also settings admin) of ``module``."""
    groups = {
        "user": f"{module}.group_user",
        "officer": f"{module}.group_officer",
        "manager": f"{module}.group_manager,base.group_system",
    }
    return tuple(
        new_test_user(env, login=f"{prefix}_{role}", groups=groups[role])
        for role in ("user", "officer", "manager")
    )


#: The residents' languages (confirma_citizen.models.res_partner.RESIDENT_LANGS).
RESIDENT_LANG_CODES = ("es_ES", "ca_ES")


def run_jobs(call):
    """``call()``, then the jobs it enqueued, run as the job runner would
    (queue_job's trap), and the jobs those enqueued in turn until none is
    left. Returns (what ``call`` returned, every job run)."""
    with trap_jobs() as trap:
        result = call()
        jobs = []
        while trap.enqueued_jobs:
            jobs += trap.enqueued_jobs
            trap.perform_enqueued_jobs()
    return result, jobs


def last_job_id(env):
    """The id of the newest job in the queue (see ``run_stored_jobs``)."""
    return env["queue.job"].sudo().search([], order="id desc", limit=1).id or 0


def run_stored_jobs(env, after_id, limit=1000):
    """Run the jobs stored in the queue after the job ``after_id`` (queue.job,
    enqueued by a request of an HttpCase, which shares the test's
    transaction) as the job runner would, by priority, and those they
    enqueue in turn. Returns the jobs' uuids."""
    from odoo.addons.queue_job.job import Job

    ran = []
    Queue = env["queue.job"].sudo()
    for _round in range(limit):
        record = Queue.search(
            [
                ("id", ">", after_id),
                ("state", "in", ("pending", "enqueued")),
                ("uuid", "not in", ran),
            ],
            order="priority, id",
            limit=1,
        )
        if not record:
            return ran
        job = Job.load(env, record.uuid)
        job.set_started()
        job.perform()
        job.set_done()
        job.store()
        ran.append(record.uuid)
    raise AssertionError(f"more than {limit} jobs")


def set_resident_langs(env, active):
    """Make exactly ``active`` of the residents' languages active (in the
    test's transaction): a test does not depend on the languages of the
    database it runs on. A language some contact or user writes in stays."""
    Lang = env["res.lang"].with_context(active_test=False)
    for code in RESIDENT_LANG_CODES:
        if code in active:
            Lang._activate_lang(code)
            continue
        lang = Lang.search([("code", "=", code), ("active", "=", True)])
        used = (
            env["res.partner"]
            .with_context(active_test=False)
            .search_count([("lang", "=", code)], limit=1)
        )
        if lang and not used:
            lang.active = False


class ConfirmaCitizenCommon(TransactionCase):
    """Base class of the Confirm@ Residents tests: one user per role.

    Downstream addons subclass it to get the same users, and call
    ``new_role_users`` for their own roles. The residents' languages
    (Spanish, Catalan) are inactive unless the class lists them in
    ``resident_langs`` (or activates them itself): what a resident reads
    then is the source text, whatever the database's languages.
    """

    resident_langs = ()

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        set_resident_langs(cls.env, cls.resident_langs)
        cls.company = cls.env.company
        cls.user_internal = new_test_user(
            cls.env, login="confirma_internal", groups="base.group_user"
        )
        cls.user_citizen, cls.officer_citizen, cls.manager_citizen = new_role_users(
            cls.env, "confirma_citizen", "confirma"
        )


class ConfirmaImportCommon(ConfirmaCitizenCommon):
    """Adds helpers to build padrón files row by row."""

    HEADER = (
        "nia,document_type,document_number,first_name,surname1,surname2,birthdate,"
        "sex,nationality,registration_date,household_code,household_relation,"
        "street,district,section,email,mobile,preferred_language,preferred_channel,"
        "data_opposition"
    )

    @classmethod
    def csv_bytes(cls, *rows, header=None):
        lines = [header or cls.HEADER] + [",".join(row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")

    @staticmethod
    def row(
        doc,
        first="Ana",
        surname1="García",
        household="H1",
        relation="holder",
        birthdate="1980-05-04",
        registered="2004-02-01",
        email="",
        nia="",
        district="01",
        section="001",
        opposition="0",
        surname2="Pérez",
    ):
        doc_type = "" if not doc else ("nie" if doc[0] in "XYZ" else "dni")
        return (
            nia,
            doc_type,
            doc,
            first,
            surname1,
            surname2,
            birthdate,
            "female",
            "ES",
            registered,
            household,
            relation,
            "Carrer Major 1",
            district,
            section,
            email,
            "",
            "ca",
            "email" if email else "post",
            opposition,
        )

    @staticmethod
    def synthetic_csv(residents, seed=11):
        """The CSV of a synthetic town of ``residents`` (deterministic)."""
        import datetime

        from ..synthetic import population as synthetic

        rows = synthetic.generate_rows(
            residents, seed=seed, reference_date=datetime.date(2026, 1, 1)
        )
        return ConfirmaImportCommon.csv_of(rows)

    @staticmethod
    def csv_of(rows):
        """The CSV of synthetic rows (dicts keyed by the synthetic columns)."""
        import csv
        import io

        from ..synthetic import population as synthetic

        stream = io.StringIO()
        writer = csv.DictWriter(stream, fieldnames=synthetic.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        return stream.getvalue().encode("utf-8")

    def run_import(self, content, user=None, filename="padron.csv", **kwargs):
        import io

        Import = self.env["confirma.padron.import"]
        if user:
            # as the web client does: the user's own language in the context
            Import = Import.with_user(user).with_context(lang=user.lang)
        return run_jobs(
            lambda: Import.import_file(io.BytesIO(content), filename, **kwargs)
        )[0]


class AddonInstallChecks:
    """What every Confirm@ addon checks once installed (mixed into its
    ``TestInstall``): its roles reach the resident roles they need, its
    menu sits under the Confirm@ app for its users only, and its setting
    has its shipped default and is saved by a manager. The addon sets
    ``addon`` (e.g. ``confirma_tramites``), ``role`` (the prefix of its
    test users, e.g. ``tramites``) and ``setting``: (system parameter,
    shipped value, settings field)."""

    addon = role = ""
    setting = ("", 0, "")
    #: the queue_job channels the addon declares (complete names)
    channels = ()

    def _role_user(self, level):
        return getattr(self, f"{level}_{self.role}")

    def test_roles(self):
        """Each role of this addon reaches the Confirm@ resident roles it needs."""
        user, officer, manager = (
            self._role_user(level) for level in ("user", "officer", "manager")
        )
        self.assertTrue(user.has_group("confirma_citizen.group_user"))
        self.assertTrue(officer.has_group(f"{self.addon}.group_user"))
        self.assertTrue(manager.has_group(f"{self.addon}.group_officer"))
        self.assertFalse(user.has_group(f"{self.addon}.group_officer"))

    def test_job_channels(self):
        """The addon's job channels exist under root.confirma, for the
        capacities of the server's configuration ([queue_job] channels)."""
        Channel = self.env["queue.job.channel"]
        for name in ("root.confirma", "root.confirma.import", *self.channels):
            channel = Channel.search([("complete_name", "=", name)])
            self.assertEqual(len(channel), 1, name)
            self.assertTrue(name.startswith("root.confirma"), name)

    def test_menu(self):
        """The addon's menu shows under the Confirm@ app for its users only."""
        menus = self.env["ir.ui.menu"]
        root = self.env.ref(f"{self.addon}.menu_root")
        self.assertEqual(root.parent_id, self.env.ref("confirma_citizen.menu_root"))
        self.assertNotIn(
            root.id, menus.with_user(self.user_citizen)._visible_menu_ids()
        )

    def test_setting_default_and_write(self):
        """The setting has its shipped default and is saved by a manager."""
        parameter, shipped, field = self.setting
        icp = self.env["ir.config_parameter"].sudo()
        self.assertEqual(icp.get_param(parameter), str(shipped))
        settings = self.env["res.config.settings"].with_user(self._role_user("manager"))
        self.assertEqual(settings.default_get([field])[field], shipped)
        settings.create({field: shipped + 1}).execute()
        self.assertEqual(icp.get_param(parameter), str(shipped + 1))


class JsonRpcMixin:
    """For ``HttpCase`` tests: call model methods over JSON-RPC, as the web
    client (or any script with a user's session) does."""

    def call_kw(self, model, method, args, kwargs=None):
        """The answer of ``/web/dataset/call_kw``: {"result": …} or {"error": …}."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": model,
                "method": method,
                "args": args,
                "kwargs": kwargs or {},
            },
        }
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        return response.json()

    def assert_not_remote(self, model, method, args, kwargs=None):
        """``model.method`` is refused over RPC as a private method."""
        answer = self.call_kw(model, method, args, kwargs)
        error = answer.get("error")
        self.assertTrue(error, f"{model}.{method} answered {answer.get('result')!r}")
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
        self.assertIn(
            f"Private methods (such as '{model}.{method}') cannot be called remotely",
            error["data"]["message"],
        )


@contextlib.contextmanager
def opened_files():
    """The paths the server process opens meanwhile (a spy: files still open)."""
    opened = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    with patch("builtins.open", spy):
        yield opened


class ScreenChecks:
    """Mixin for ``HttpCase``: open a back-office screen in the browser as a
    user and wait until it shows what it should (any client error fails
    the test)."""

    SCREEN_JS = """
        const check = () => {
            // the form renders after the script starts: look for the tab each time
            const tab = %(tab)s && document.querySelector(%(tab)s);
            if (tab && !tab.classList.contains("active")) {
                tab.click();
            }
            document.querySelector(%(selector)s)
                ? console.log("test successful")
                : setTimeout(check, 100);
        };
        check();
    """

    def open_screen(self, path, selector, login, tab=""):
        """Open ``path`` as ``login``, click the notebook page ``tab`` if
        given, and wait for an element matching ``selector``."""
        tab_selector = f".o_notebook_headers a[name='{tab}']" if tab else ""
        code = self.SCREEN_JS % {
            "tab": json.dumps(tab_selector),
            "selector": json.dumps(selector),
        }
        self.browser_js(path, code, login=login, timeout=180)


#: axe-core, the accessibility checker, as the project's setup installs it
#: from package-lock.json (npm ci)
AXE_SCRIPT = (
    Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
)


class AxeChecks:
    """Mixin for ``HttpCase``: walk through public pages in Chromium as a
    resident does (links, forms posted with the browser's own session) and
    check each page with axe-core against WCAG 2.1 A and AA. Any violation,
    or a page that does not show what it should, fails the test."""

    AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
    #: where the browser starts: a document of the server that runs no
    #: application (which the pages would replace under its feet) and has no
    #: Content-Security-Policy forbidding requests (as static files have)
    AXE_START = "/web/health"

    AXE_JS = """
        (async () => {
            const steps = %(steps)s;
            const problems = [];
            const show = async (html) => {
                // the answer replaces the page (scripts are not run again);
                // its style sheets load before the colours are judged
                const parsed = new DOMParser().parseFromString(html, "text/html");
                document.replaceChild(
                    document.importNode(parsed.documentElement, true),
                    document.documentElement
                );
                await Promise.all(
                    [...document.querySelectorAll('link[rel="stylesheet"]')].map(
                        (link) => link.sheet ? null : new Promise((resolve) => {
                            link.onload = link.onerror = resolve;
                        })
                    )
                );
            };
            for (const step of steps) {
                let body;
                if (step.method === "POST") {
                    const form = step.form && document.querySelector(step.form);
                    body = form ? new FormData(form) : new FormData();
                    for (const [key, value] of Object.entries(step.data || {})) {
                        body.set(key, value);
                    }
                }
                const response = await fetch(step.url, {
                    method: step.method || "GET",
                    body,
                    credentials: "same-origin",
                });
                await show(await response.text());
                if (step.expect && !document.body.textContent.includes(step.expect)) {
                    problems.push(`${step.name}: "${step.expect}" is not on the page`);
                    continue;
                }
                if (step.lang && document.documentElement.lang !== step.lang) {
                    problems.push(
                        `${step.name}: <html lang="${document.documentElement.lang}">`
                    );
                }
                const result = await axe.run(document, {
                    runOnly: {type: "tag", values: %(tags)s},
                    resultTypes: ["violations"],
                });
                for (const v of result.violations) {
                    const where = v.nodes.slice(0, 3).map((n) => n.target.join(" "));
                    problems.push(
                        `${step.name}: ${v.id} (${v.impact}) ${v.help}: ${where}`
                    );
                }
            }
            if (problems.length) {
                console.error("Accessibility problems:\\n" + problems.join("\\n"));
            } else {
                console.log("test successful");
            }
        })();
    """

    def check_accessibility(self, steps, login=None, cookies=None):
        """Open the server (as ``login``), then follow ``steps``, each a dict:
        ``name``, ``url``, ``method`` (GET or POST), ``form`` (a selector:
        post the current page's form), ``data`` (fields to set), ``expect``
        (text the page must show) and ``lang`` (its ``<html lang>``)."""
        if not AXE_SCRIPT.is_file():
            self.fail(
                f"axe-core is not installed ({AXE_SCRIPT}): './confirma setup' "
                f"installs it from package-lock.json"
            )
        code = AXE_SCRIPT.read_text(encoding="utf-8") + self.AXE_JS % {
            "steps": json.dumps(steps),
            "tags": json.dumps(self.AXE_TAGS),
        }
        try:
            self.browser_js(
                self.AXE_START,
                code,
                login=login,
                cookies=cookies,
                timeout=600,
            )
        except AssertionError as error:
            # the message would repeat the whole script (axe-core included)
            message = str(error)
            found = message.rfind("Accessibility problems:\n")
            raise AssertionError(
                message[found:] if found >= 0 else message[-3000:]
            ) from None
