"""Odoo in this process, for the benchmarks and the project's own tests:
the configuration, a registry, an addon's module.

The commands that operate a database are the addons' own Odoo commands
(``odoo-bin confirma-padron ...``, in each addon's ``cli/`` folder), which
``./confirma`` hands over to.
"""

import importlib


def load(conf):
    """Parse the configuration ``conf`` unless this process already did
    (Odoo's parser runs once; inside a running Odoo, pytest-odoo, a loaded
    registry keeps its configuration), and put the addons on Odoo's path."""
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    if getattr(odoo.tools.config, "rcfile", None) != str(conf) and not len(
        Registry.registries
    ):
        odoo.tools.config.parse_config(["-c", str(conf), "--log-level=warn"])
    odoo.modules.module.initialize_sys_path()
    return odoo


def registry(conf, db):
    """The Odoo registry of ``db`` (configuration ``conf``)."""
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo.tools.config.parse_config(["-c", str(conf), "-d", db, "--log-level=warn"])
    return Registry(db)


def addon_module(conf, name):
    """``odoo.addons.<name>``, e.g. ``confirma_citizen.synthetic.population``."""
    load(conf)
    return importlib.import_module(f"odoo.addons.{name}")
