"""pmledger behind a web API: a FastAPI router a host mounts (`pip install pmledger[fastapi]`).

Only `pmledger.web.fastapi_router` imports FastAPI; nothing else in pmledger does, so the
extra stays optional.
"""
