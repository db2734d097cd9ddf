"""Turns: one holder at a time, handed over in the order the threads asked."""

from __future__ import annotations

import threading
import time

from ffnviz.turns import Turns


def test_one_holder_at_a_time_and_every_thread_gets_its_turns():
    turns, inside, most, counts = Turns(), [0], [0], [0] * 6
    lock = threading.Lock()

    def work(i):
        for _ in range(200):
            with turns:
                with lock:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                counts[i] += 1
                with lock:
                    inside[0] -= 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert most[0] == 1
    assert counts == [200] * 6
    assert turns.waiting == 0


def test_turns_go_first_come_first_served():
    turns, order = Turns(), []
    turns.__enter__()  # held: everyone below waits, in the order they arrive
    threads = []
    for i in range(5):
        def take(i=i):
            with turns:
                order.append(i)
        t = threading.Thread(target=take)
        t.start()
        threads.append(t)
        while turns.waiting < i + 1:  # this one is in line before the next starts
            time.sleep(0.001)
    turns.__exit__(None, None, None)
    for t in threads:
        t.join(10)
    assert order == [0, 1, 2, 3, 4]


def test_a_thread_that_lets_go_and_asks_again_waits_behind_the_others():
    turns, order = Turns(), []
    turns.__enter__()
    other = threading.Thread(target=lambda: (turns.__enter__(), order.append("other"), turns.__exit__(None, None, None)))
    other.start()
    while turns.waiting < 1:
        time.sleep(0.001)
    turns.__exit__(None, None, None)  # handed to the waiting thread
    with turns:
        order.append("again")
    other.join(10)
    assert order == ["other", "again"]
