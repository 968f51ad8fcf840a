#!/usr/bin/env python3
"""Writes examples/data/sample-events.csv: a small, deterministic month of order events for four
sellers, in the event CSV of events-csv.md, with the situations the seed stories are about.

    python3 examples/data/make_sample.py > examples/data/sample-events.csv

- tokyo-books: a steady seller; mostly on time, a few late shipments, one seller cancel for
  stock-out, one buyer who asked to cancel first (not counted), one buyer self-cancel.
- osaka-toys: a quiet shop; its only order in the last week is cancelled by the seller (seed 002:
  one order, one cancel, 100 %), and one order ships 1 of 2 units with the other refunded.
- kyoto-tea: a pre-order whose ship-by date a platform fault moved too early; it goes late and the
  platform exempts it (seed 004); one order the platform auto-cancels (never confirmed).
- nagoya-fba: mostly platform-fulfilled orders (outside Amazon's PFCR and LSR).
"""
import datetime as dt
import random

JST = dt.timezone(dt.timedelta(hours=9))
START = dt.datetime(2026, 9, 1, tzinfo=JST)
rnd = random.Random(20260930)
rows = []  # (time, tie, csv line)


def iso(t):
    return t.isoformat(timespec="seconds")


def add(t, line):
    rows.append((t, len(rows), line))


def place(oid, seller, t, ship_days=2, qty=1, channel="merchant"):
    ship_by = (t + dt.timedelta(days=ship_days)).replace(hour=23, minute=59, second=59)
    add(t, f"placed,{oid},{seller},{iso(t)},{iso(ship_by)},{qty},,,,{channel}")
    return ship_by


def ship(oid, t):
    add(t, f"shipped,{oid},,{iso(t)},,,,,,")


def cancel(oid, t, actor, reason, qty=""):
    add(t, f"cancelled,{oid},,{iso(t)},,{qty},{actor},{reason},,")


def moment(day, hour=None):
    return START + dt.timedelta(days=day, hours=hour if hour is not None else rnd.randint(8, 22),
                                minutes=rnd.randint(0, 59), seconds=rnd.randint(0, 59))


# tokyo-books: ~3 orders a day.
n = 0
for day in range(30):
    for _ in range(rnd.randint(2, 4)):
        n += 1
        oid = f"TB-{n:04d}"
        t = moment(day)
        ship_by = place(oid, "tokyo-books", t)
        u = rnd.random()
        if oid in ("TB-0071",):
            cancel(oid, t + dt.timedelta(hours=3), "seller", "out_of_stock")
        elif oid == "TB-0074":
            add(t + dt.timedelta(hours=1), f"cancel_requested,{oid},,{iso(t + dt.timedelta(hours=1))},,,buyer,changed_mind,,")
            cancel(oid, t + dt.timedelta(hours=2), "seller", "buyer_request")
        elif oid == "TB-0080":
            cancel(oid, t + dt.timedelta(minutes=20), "buyer", "changed_mind")
        elif u < 0.05 and day < 29:
            ship(oid, ship_by + dt.timedelta(hours=rnd.randint(2, 30)))
        elif day < 29 or u < 0.5:
            ship(oid, t + (ship_by - t) * rnd.uniform(0.1, 0.9))

# osaka-toys: a handful of orders, the last one cancelled by the seller.
for i, day in enumerate([2, 9, 15, 26]):
    oid = f"OT-{i + 1:03d}"
    t = moment(day)
    ship_by = place(oid, "osaka-toys", t, qty=2 if day == 15 else 1)
    if day == 26:
        cancel(oid, t + dt.timedelta(hours=5), "seller", "out_of_stock")
    elif day == 15:  # seed 002: one of two in stock: ship it, refund the other
        ship(oid, t + dt.timedelta(hours=20))
        add(t + dt.timedelta(hours=21), f"refunded,{oid},,{iso(t + dt.timedelta(hours=21))},,1,,partial_stock,,")
    else:
        ship(oid, t + dt.timedelta(hours=18))

# kyoto-tea: daily orders, one pre-order hit by a platform fault, one auto-cancelled order.
for day in range(30):
    oid = f"KT-{day + 1:03d}"
    t = moment(day)
    if day == 5:  # pre-order; the platform reset ship-by to day 7 though release is day 13
        ship_by = place(oid, "kyoto-tea", t, ship_days=10)
        wrong = (START + dt.timedelta(days=7)).replace(hour=23, minute=59, second=59)
        add(t + dt.timedelta(days=1), f"ship_by_changed,{oid},,{iso(t + dt.timedelta(days=1))},{iso(wrong)},,,platform_error,,")
        add(START + dt.timedelta(days=9, hours=10), f"exempted,{oid},,{iso(START + dt.timedelta(days=9, hours=10))},,,,platform_error,late,")
        ship(oid, START + dt.timedelta(days=13, hours=11))
        continue
    ship_by = place(oid, "kyoto-tea", t)
    if day == 3:  # never confirmed: the platform cancels at ship-by + 7 days
        cancel(oid, ship_by + dt.timedelta(days=7, seconds=1), "platform", "auto_cancel_unconfirmed")
    elif day == 20:
        ship(oid, ship_by + dt.timedelta(hours=9))
    elif day < 29:
        ship(oid, t + dt.timedelta(hours=rnd.randint(3, 30)))

# nagoya-fba: platform-fulfilled, plus two merchant orders.
for day in range(0, 30, 2):
    oid = f"NF-{day // 2 + 1:03d}"
    t = moment(day)
    channel = "merchant" if day in (10, 20) else "platform"
    ship_by = place(oid, "nagoya-fba", t, channel=channel)
    if day < 28:
        ship(oid, t + dt.timedelta(hours=12))

rows.sort()
print("event,order_id,seller_id,time,ship_by,quantity,actor,reason,metric,channel")
for _, _, line in rows:
    print(line)
