"""Checkpoints through `Ledger.checkpoint` with a small page: the page size is the one knob a
test turns, so the page boundaries exercised are those of the real path (`grow_and_sign`)."""

from __future__ import annotations

from functools import partial

import pytest

from pmledger.events.actors import Actor
from pmledger.integrity.tree_head import SignedTreeHead
from pmledger.ledger import facade
from pmledger.ledger.checkpoints import tree
from pmledger.ledger.facade import Ledger
from pmledger.ledger.store import CaseStore
from pmledger.storage.checkpoints import MerkleTables


def checkpoint_in_pages(
    ledger: Ledger, actor: Actor, page_size: int, monkeypatch: pytest.MonkeyPatch
) -> SignedTreeHead:
    with monkeypatch.context() as patch:
        patch.setattr(facade, "grow_and_sign", partial(tree.grow_and_sign, page_size=page_size))
        return ledger.checkpoint(actor)


class _Killed(Exception):
    pass


def checkpoint_killed_before_signing(
    ledger: Ledger, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A checkpoint run killed after its last page committed, before it signed: the tree and
    the map stand past the latest head."""

    def killed(size: int, root: bytes, cases_root: bytes) -> SignedTreeHead:
        raise _Killed

    def run(store: CaseStore, tables: MerkleTables, sign: tree.HeadSigner) -> SignedTreeHead:
        # a page of one event never ends short, so every page commits before the signing
        return tree.grow_and_sign(store, tables, killed, page_size=1)

    with monkeypatch.context() as patch:
        patch.setattr(facade, "grow_and_sign", run)
        with pytest.raises(_Killed):
            ledger.checkpoint(actor)
