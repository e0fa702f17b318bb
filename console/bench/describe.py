"""Appeal descriptions in Chinese, 20–500 characters, assembled from the phrase fragments."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from console.bench import phrases
from console.domain.enums import AppealType
from console.domain.reference import Category

MIN_LENGTH = 20
MAX_LENGTH = 500
# Most records are a sentence or three; a few callers go on at length (log-normal lengths).
_MEDIAN_LENGTH = {AppealType.CONSULTATION: 60.0}
_DEFAULT_MEDIAN = 100.0
_LENGTH_SPREAD = 0.6
_IMPACT_SHARE = 0.7


@dataclass(frozen=True)
class Place:
    """Where the appeal is about; empty strings where the caller gave no location."""

    district: str
    street: str
    community: str


class Describer:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def describe(self, appeal: AppealType, category: Category, place: Place, day: date) -> str:
        words = self._words(category, place, day)
        if appeal is AppealType.CONSULTATION:
            return self._consultation(category, words)
        if appeal is AppealType.SUGGESTION:
            return self._suggestion(words)
        if appeal is AppealType.PRAISE:
            return self._praise(words)
        return self._problem(appeal, category, words)

    def answer(self, category: Category, place: Place) -> str:
        district = place.district or "所在区"
        return self._rng.choice(phrases.ANSWERS).format(leaf=category.level3, district=district)

    def _words(self, category: Category, place: Place, day: date) -> dict[str, object]:
        rng = self._rng
        started = day - timedelta(days=rng.randint(2, 60))
        area = place.district + place.street or "本市"
        community = place.community or "某小区"
        since = rng.choice(phrases.SINCE).format(m=started.month, d=started.day)
        return {
            "place": place.district + place.street + community
            if place.district
            else "其居住的小区",
            "area": area,
            "district": place.district or "本市",
            "community": community,
            "spot": rng.choice(phrases.SPOTS),
            "since": since,
            "leaf": category.level3,
            "m": started.month,
            "d": started.day,
            "n": rng.randint(1, 30),
        }

    def _problem(self, appeal: AppealType, category: Category, words: dict[str, object]) -> str:
        rng = self._rng
        template = phrases.BY_LEAF.get(category.level3) or phrases.BY_LEVEL2.get(
            category.level2, phrases.FALLBACK_PROBLEM
        )
        head = rng.choice(phrases.OPENERS[appeal.value]) + template.format(**words)
        if rng.random() < _IMPACT_SHARE:
            head += "，" + rng.choice(phrases.IMPACTS[category.level1])
        tail = rng.choice(phrases.REQUESTS[appeal.value])
        return self._fill(head + "。", phrases.DETAILS, tail, words, self._target(appeal))

    def _consultation(self, category: Category, words: dict[str, object]) -> str:
        """A question about a policy, or about whom a problem belongs to."""
        rng = self._rng
        leaf = category.level3
        opener = rng.choice(phrases.OPENERS[AppealType.CONSULTATION.value])
        questions: tuple[str, ...]
        context: tuple[str, ...]
        if category.level2 in phrases.POLICY_LEVEL2:
            topic = leaf if leaf.endswith("政策") else leaf + "相关规定"
            questions, context = phrases.QUESTIONS, phrases.POLICY_CONTEXT
        else:
            topic, questions, context = (
                leaf + "问题",
                phrases.ISSUE_QUESTIONS,
                phrases.ISSUE_CONTEXT,
            )
        head = f"{opener}{topic}，{rng.choice(questions)}。"
        return self._fill(head, context, "", words, self._target(AppealType.CONSULTATION))

    def _suggestion(self, words: dict[str, object]) -> str:
        rng = self._rng
        opener = rng.choice(phrases.OPENERS[AppealType.SUGGESTION.value])
        what = rng.choice(phrases.SUGGESTIONS).format(**words)
        why = rng.choice(phrases.SUGGESTION_REASONS)
        return f"{opener}{what}，{why}。{rng.choice(phrases.REQUESTS['suggestion'])}"

    def _praise(self, words: dict[str, object]) -> str:
        rng = self._rng
        opener = rng.choice(phrases.OPENERS[AppealType.PRAISE.value])
        who = rng.choice(phrases.PRAISED).format(**words)
        return f"{opener}{who}{rng.choice(phrases.PRAISE_REASONS)}，特此致谢。"

    def _target(self, appeal: AppealType) -> int:
        median = _MEDIAN_LENGTH.get(appeal, _DEFAULT_MEDIAN)
        length = self._rng.lognormvariate(math.log(median), _LENGTH_SPREAD)
        return int(min(MAX_LENGTH, max(MIN_LENGTH, length)))

    def _fill(
        self, head: str, pool: Sequence[str], tail: str, words: dict[str, object], target: int
    ) -> str:
        """`head`, then sentences from `pool` while they fit in `target`, then `tail`."""
        text = head
        wanted = min(len(pool), max(0, target - len(head)) // 20 + 1)
        for sentence in self._rng.sample(pool, wanted):
            extra = sentence.format(**words)
            if len(text) + len(extra) + len(tail) > target:
                break
            text += extra
        return text + tail
