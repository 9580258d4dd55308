"""The screens of a group quiz: question, answer with rating buttons, summary."""

from __future__ import annotations

from core import texts
from core.actions import Action, ActionToken, Subject
from core.decks.model import Card
from core.leeches.model import DEFAULT_LEECH_LAPSES
from core.quiz.model import GroupQuiz, QuizEnd
from core.quiz.summary import QuizSummary
from core.review.screens import answer_blocks, card_blocks, rating_buttons
from core.screens import Block, Button, Screen, Style

__all__ = ["quiz_answer_screen", "quiz_question_screen", "quiz_summary_screen"]

_QUESTION_PREVIEW = 80


def _token(quiz: GroupQuiz, action: Action) -> str:
    return ActionToken(Subject.QUIZ, quiz.id, quiz.version, action).encode()


def _heading(quiz: GroupQuiz) -> Block:
    return Block(
        texts.QUIZ_CARD.format(number=quiz.position + 1, total=len(quiz.card_ids)), Style.MUTED
    )


def quiz_question_screen(quiz: GroupQuiz, card: Card, starter_name: str) -> Screen:
    when = texts.QUIZ_ANSWER_IN.format(seconds=quiz.seconds_per_card, starter=starter_name)
    blocks = (_heading(quiz), *card_blocks(card), Block(when, Style.MUTED))
    show = Button(texts.SHOW_ANSWER, _token(quiz, Action.SHOW), primary=True)
    return Screen(blocks, ((show,),), card_id=card.id, deadline_at=quiz.deadline_at)


def quiz_answer_screen(quiz: GroupQuiz, card: Card, rated_count: int) -> Screen:
    blocks = (
        _heading(quiz),
        *card_blocks(card),
        *answer_blocks(card),
        Block(f"{texts.RATING_PROMPT} ({texts.RATING_LEGEND})", Style.MUTED),
        Block(texts.QUIZ_RATED_COUNT.format(count=rated_count), Style.MUTED),
        Block(_next_when(quiz), Style.MUTED),
    )
    buttons = (
        *rating_buttons(lambda action: _token(quiz, action)),
        (Button(texts.QUIZ_NEXT, _token(quiz, Action.NEXT)),),
    )
    return Screen(blocks, buttons, card_id=card.id, answer_shown=True, deadline_at=quiz.deadline_at)


def _next_when(quiz: GroupQuiz) -> str:
    """When rating closes; from the second card on, also once everyone has rated (`hurry`)."""
    when = texts.QUIZ_NEXT_IN if quiz.position == 0 else texts.QUIZ_NEXT_WHEN
    return when.format(seconds=quiz.seconds_per_card)


def quiz_summary_screen(quiz: GroupQuiz, summary: QuizSummary) -> Screen:
    headline = {
        QuizEnd.COMPLETED: texts.QUIZ_FINISHED,
        QuizEnd.STOPPED: texts.QUIZ_STOPPED,
        QuizEnd.RESTARTED: texts.QUIZ_RESTARTED,
    }[quiz.end_reason or QuizEnd.COMPLETED]
    blocks = [Block(headline.format(cards=texts.plural(summary.cards_shown, "card")), Style.BOLD)]
    if not summary.participants:
        blocks.append(Block(texts.QUIZ_NOBODY))
        return Screen(tuple(blocks))
    lines = [
        texts.QUIZ_PARTICIPANT_LINE.format(
            name=p.name, cards=texts.plural(p.cards_rated, "card"), mean=p.mean_rating
        )
        for p in summary.participants
    ]
    blocks += [Block(texts.QUIZ_PARTICIPANTS, Style.BOLD), Block("\n".join(lines))]
    hardest = [
        texts.QUIZ_HARDEST_LINE.format(mean=c.mean_rating, question=_preview(c.question))
        for c in summary.hardest
    ]
    blocks += [Block(texts.QUIZ_HARDEST, Style.BOLD), Block("\n".join(hardest))]
    if summary.leeches:
        blocks.append(Block(_leeches_line(summary)))
    return Screen(tuple(blocks))


def _leeches_line(summary: QuizSummary) -> str:
    """The group's leeches, saying the threshold they share, or that each member's own
    counted."""
    names = "; ".join(_preview(question) for question in summary.leeches)
    thresholds = summary.leech_thresholds or (DEFAULT_LEECH_LAPSES,)
    if len(thresholds) == 1:
        return texts.QUIZ_LEECHES.format(threshold=thresholds[0], cards=names)
    return texts.QUIZ_LEECHES_OWN_THRESHOLDS.format(
        low=min(thresholds), high=max(thresholds), cards=names
    )


def _preview(question: str) -> str:
    first_line = question.strip().splitlines()[0] if question.strip() else question
    if len(first_line) <= _QUESTION_PREVIEW:
        return first_line
    return first_line[: _QUESTION_PREVIEW - 1] + "…"
