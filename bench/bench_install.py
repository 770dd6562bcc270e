"""Install time of the six addons on a fresh database (no demo data).

Figure: ``install_all_addons_s`` — wall seconds to create a database and
install confirma_citizen, confirma_tramites, confirma_interop and
confirma_surveys with their Odoo dependencies.
"""

import time


def run(ctx):
    name = "confirma_bench_install"
    ctx.drop_db(name)
    started = time.perf_counter()
    ctx.init_db(name, modules=ctx.addons, demo=False)
    elapsed = time.perf_counter() - started
    ctx.drop_db(name)
    return {"install_all_addons_s": round(elapsed, 1)}
