"""The screenshots of the README (``./confirma screenshots``).

A copy of the demo database (``confirma_screenshots``: the demo itself is
left as it was) is served on a free port and walked in headless Chromium,
through the DevTools protocol: the back office as the demo's administrator,
in Spanish, then the public pages logged out, as a resident would, from the
link of an offer to the receipt. Each screen is taken at a desktop and a
phone size into ``docs/screenshots/`` (``<name>-desktop.png`` and
``<name>-mobile.png``), viewport only.
"""

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from . import environment as envmod
from .errors import SetupError

OUT = envmod.ROOT / "docs" / "screenshots"
COPY = "confirma_screenshots"
LOGIN = ("admin", "admin")
LANG = "es_ES"
#: name -> (width, height, mobile)
VIEWPORTS = {"desktop": (1280, 960, False), "mobile": (390, 844, True)}
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Page:
    """One Chromium tab driven through the DevTools protocol."""

    def __init__(self, ws_url):
        import websocket  # noqa: PLC0415 - from the project's environment

        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.next_id = 0

    def send(self, method, **params):
        self.next_id += 1
        self.ws.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def eval(self, expression):
        result = self.send(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait(self, expression, timeout=30):
        """Until ``expression`` is true in the page."""
        limit = time.monotonic() + timeout
        while time.monotonic() < limit:
            try:
                if self.eval(f"!!({expression})"):
                    return
            except RuntimeError:
                pass  # the page is navigating
            time.sleep(0.25)
        try:
            where = self.eval(
                "location.href + ' ' + document.readyState + ' ' + "
                "document.body.innerText.slice(0, 300)"
            )
        except RuntimeError as error:
            where = str(error)
        raise RuntimeError(f"timed out waiting for {expression} (at {where})")

    def goto(self, url, ready="true"):
        self.send("Page.navigate", url=url)
        time.sleep(0.5)
        self.wait(f"document.readyState === 'complete' && !!({ready})")
        time.sleep(0.8)  # fonts and transitions

    def viewport(self, name):
        width, height, mobile = VIEWPORTS[name]
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=mobile,
        )

    def shot(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))


#: the back office is ready when the action's view is there and nothing loads
BACKEND_READY = (
    "document.querySelector('.o_action_manager .o_view_controller') && "
    "!document.querySelector('.o_loading_indicator, .o_blockUI')"
)


def _records(conf):
    """Prepare the copy (the administrator in Spanish, every offer's page
    unlocked) and pick what to show: {name: value}."""
    import odoo  # noqa: PLC0415

    from .odoo_env import registry  # noqa: PLC0415

    with registry(conf, COPY).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.ref("base.user_admin").write({"lang": LANG, "tz": "Europe/Madrid"})
        Case = env["confirma.case"]
        # a parent who confirms for their child: the richest resident file
        cases = Case.search([], order="id")
        child_case = (
            cases.filtered(lambda c: c.beneficiary_id != c.partner_id)[:1] or cases[:1]
        )
        offer = Case.search(
            [
                ("state", "=", "notified"),
                ("partner_id.preferred_language", "=", LANG[:2]),
                ("partner_id.birthdate", "!=", False),
            ],
            limit=1,
            order="id",
        )
        if not offer:
            raise SetupError("the demo database has no offer to a resident in Spanish")
        # the links printed keep the demo's address (not this server's port)
        env["ir.config_parameter"].set_param("web.base.url.freeze", "True")
        campaign = env["confirma.campaign"].search([], limit=1, order="id")
        letter = Case.search([("outreach_channel", "=", "post")], limit=1) or offer
        # a document to verify: another offer confirmed, its sealed receipt
        answered = Case.search(
            [("state", "=", "notified"), ("id", "!=", offer.id)], limit=1, order="id"
        )
        csv = ""
        if answered and "confirma.document" in env:
            # a copied database has a new secret: the demo seal's password is
            # stored again with it
            env["confirma.interop.platform"]._load_demo_simulator()
            answered.action_confirm(channel="page")
            csv = answered._receipt_document().csv_display
        values = {
            "csv": csv,
            "resident": child_case.partner_id.id,
            "case": child_case.id,
            "procedure": child_case.procedure_id.id,
            "campaign": campaign.id,
            "letter": letter.id,
            "offer_url": offer.access_url,
            "token": offer.page_token,
            "birthdate": offer.partner_id.birthdate,
        }
        cr.commit()
    odoo.modules.registry.Registry.delete(COPY)
    return values


def _backend(page, base, rec, viewport):
    action = f"{base}/odoo/action-"
    shots = [
        ("resident-form", f"{action}confirma_citizen.res_partner_action_resident/"
         f"{rec['resident']}"),
        ("procedure-rules", f"{action}confirma_tramites.confirma_procedure_action/"
         f"{rec['procedure']}"),
        ("case-form", f"{action}confirma_tramites.confirma_case_action/{rec['case']}"),
        ("campaign-form", f"{action}confirma_tramites.confirma_campaign_action/"
         f"{rec['campaign']}"),
        ("indicators-dashboard",
         f"{action}confirma_tramites.confirma_indicator_value_action"),
        ("register-book", f"{action}confirma_legal.confirma_register_entry_action"),
    ]  # fmt: skip
    for name, url in shots:
        page.goto(url, BACKEND_READY)
        if name == "procedure-rules":
            # the rule is on the procedure's first tab; the requirements next
            page.eval(
                "document.querySelector('.o_form_sheet') && "
                "document.querySelector('.o_form_sheet').scrollIntoView()"
            )
        page.shot(OUT / f"{name}-{viewport}.png")
    page.goto(
        f"{base}/report/html/confirma_tramites.report_case_letter/{rec['letter']}",
        "document.querySelector('.page, article, main, body')",
    )
    page.shot(OUT / f"letter-{viewport}.png")


def _public(page, base, rec, viewport):
    page.send("Network.clearBrowserCookies")
    page.goto(f"{base}/confirma/transparency?lang=es", "document.querySelector('main')")
    page.shot(OUT / f"transparency-{viewport}.png")
    # the network's pages: the action plan, the good practices, the towns
    for name, path in (
        ("action-plan", "/confirma/plan?lang=es"),
        ("good-practices", "/confirma/practices?lang=es"),
        ("towns-compared", "/confirma/network?lang=es"),
    ):
        page.goto(f"{base}{path}", "document.querySelector('main h1')")
        page.shot(OUT / f"{name}-{viewport}.png")
    page.goto(f"{base}/confirma?lang=es", "document.querySelector('#confirma_code')")
    page.shot(OUT / f"lookup-{viewport}.png")
    if rec["csv"]:
        page.goto(
            f"{base}/confirma/csv?csv={rec['csv']}&lang=es",
            "document.querySelector('main')",
        )
        page.shot(OUT / f"csv-document-{viewport}.png")
    page.goto(
        f"{base}{rec['offer_url']}?token={rec['token']}&lang=es",
        "document.querySelector('input[name=birth_day]')",
    )
    page.shot(OUT / f"confirm-1-birthdate-{viewport}.png")
    born = rec["birthdate"]
    page.eval(
        f"""(() => {{
            const form = document.querySelector('input[name=birth_day]').form;
            form.birth_day.value = '{born.day}';
            form.birth_month.value = '{born.month}';
            form.birth_year.value = '{born.year}';
            form.requestSubmit();
            return true;
        }})()"""
    )
    time.sleep(0.5)
    page.wait(
        "document.readyState === 'complete' && "
        "document.querySelector('button[name=answer][value=confirm]')"
    )
    time.sleep(0.8)
    page.shot(OUT / f"confirm-2-offer-{viewport}.png")
    if viewport == "mobile":
        return  # the desktop pass confirms; the receipt is shown by both
    page.eval("document.querySelector('button[name=answer][value=confirm]').click()")
    time.sleep(0.5)
    page.wait(
        "document.readyState === 'complete' && "
        "!document.querySelector('button[name=answer][value=confirm]')"
    )
    time.sleep(0.8)
    # the receipt answers the POST: both sizes from the same page
    for name in VIEWPORTS:
        page.viewport(name)
        time.sleep(0.8)
        page.shot(OUT / f"confirm-3-receipt-{name}.png")
    page.viewport(viewport)


def _chromium():
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    raise SetupError("Chromium is missing: install Debian's chromium package")


def run(conf, demo_db):
    """Copy ``demo_db``, serve the copy, take every screenshot, drop it."""
    from .cli import odoo_cmd, run_odoo, wait_http  # noqa: PLC0415 - cli runs us

    run_odoo(conf, "duplicate", "-f", demo_db, COPY, subcommand="db",
             what=f"Copying {demo_db}")  # fmt: skip
    try:
        rec = _records(conf)
        OUT.mkdir(parents=True, exist_ok=True)
        for old in OUT.glob("*.png"):
            old.unlink()
        port = _free_port()
        env = dict(os.environ, PYTHONWARNINGS="ignore::DeprecationWarning")
        server = subprocess.Popen(
            odoo_cmd(conf, "-d", COPY, f"--http-port={port}",
                     f"--gevent-port={_free_port()}", "--workers=0",
                     "--max-cron-threads=0", "--log-level=warn"),
            cwd=envmod.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        profile = tempfile.mkdtemp(prefix="confirma-chromium-")
        debug_port = _free_port()
        browser = None
        try:
            wait_http(f"{base}/web/health", server)
            browser = subprocess.Popen(
                [_chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
                 "--hide-scrollbars", "--no-first-run", "--mute-audio",
                 f"--remote-debugging-port={debug_port}",
                 f"--user-data-dir={profile}", "--lang=es-ES", "about:blank"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            listing = f"http://127.0.0.1:{debug_port}/json/list"
            wait_http(listing, browser, timeout=30)
            targets = json.loads(wait_http(listing, browser, timeout=30))
            tab = next(t for t in targets if t.get("type") == "page")
            page = Page(tab["webSocketDebuggerUrl"])
            page.send("Page.enable")
            page.send("Network.enable")
            page.viewport("desktop")
            page.goto(f"{base}/web/login", "document.querySelector('#login')")
            page.eval(
                f"""(() => {{
                    document.querySelector('#login').value = {json.dumps(LOGIN[0])};
                    document.querySelector('#password').value = {json.dumps(LOGIN[1])};
                    document.querySelector('#login').form.submit();
                    return true;
                }})()"""
            )
            time.sleep(1)
            page.wait("location.pathname.startsWith('/odoo')")
            for viewport in VIEWPORTS:
                page.viewport(viewport)
                _backend(page, base, rec, viewport)
            for viewport in ("mobile", "desktop"):
                page.viewport(viewport)
                _public(page, base, rec, viewport)
        finally:
            if browser:
                browser.terminate()
                browser.wait(timeout=30)
            server.terminate()
            server.wait(timeout=60)
            shutil.rmtree(profile, ignore_errors=True)
    finally:
        run_odoo(conf, "drop", COPY, subcommand="db", what=f"Dropping {COPY}")
    taken = sorted(p.name for p in OUT.glob("*.png"))
    print(f"confirma: {len(taken)} screenshots in {OUT.relative_to(envmod.ROOT)}")
    return taken
