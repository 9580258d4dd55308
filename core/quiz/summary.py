"""What a finished quiz says: who took part, how they did, and which cards were hardest."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.quiz.model import GroupQuiz, QuizRating

__all__ = ["CardResult", "Participant", "QuizSummary", "summarize"]


@dataclass(frozen=True, slots=True)
class Participant:
    learner_id: int
    name: str
    cards_rated: int
    mean_rating: float


@dataclass(frozen=True, slots=True)
class CardResult:
    card_id: str
    question: str
    ratings: int
    mean_rating: float


@dataclass(frozen=True, slots=True)
class QuizSummary:
    cards_shown: int
    participants: tuple[Participant, ...]
    hardest: tuple[CardResult, ...]
    leeches: tuple[str, ...] = ()  # questions of the shown cards a participant keeps forgetting
    leech_thresholds: tuple[int, ...] = ()  # the participants' leech thresholds, lowest first


def summarize(
    quiz: GroupQuiz,
    ratings: Sequence[QuizRating],
    names: Mapping[int, str],
    questions: Mapping[str, str],
    hardest_count: int = 3,
    leeches: Sequence[str] = (),
    leech_thresholds: Sequence[int] = (),
) -> QuizSummary:
    """Participants by cards rated then mean (best first); hardest cards by lowest mean rating;
    `leeches` (card ids, most lapses first) named by their questions, found by
    `leech_thresholds` (the participants' own)."""
    by_member: dict[int, list[int]] = defaultdict(list)
    by_position: dict[int, list[int]] = defaultdict(list)
    for rating in ratings:
        by_member[rating.learner_id].append(int(rating.rating))
        by_position[rating.position].append(int(rating.rating))
    participants = sorted(
        (
            Participant(lid, names.get(lid, "someone"), len(r), round(sum(r) / len(r), 2))
            for lid, r in by_member.items()
        ),
        key=lambda p: (-p.cards_rated, -p.mean_rating, p.name),
    )
    results = sorted(
        (
            CardResult(
                quiz.card_ids[pos],
                questions.get(quiz.card_ids[pos], "?"),
                len(r),
                round(sum(r) / len(r), 2),
            )
            for pos, r in by_position.items()
        ),
        key=lambda c: (c.mean_rating, -c.ratings, c.card_id),
    )
    shown = min(len(quiz.card_ids), quiz.position + 1)
    leech_questions = tuple(questions.get(card_id, "?") for card_id in leeches)
    return QuizSummary(
        shown,
        tuple(participants),
        tuple(results[:hardest_count]),
        leech_questions,
        tuple(leech_thresholds),
    )
