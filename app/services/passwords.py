"""What makes a password acceptable: 12 to 128 characters, and not easy to guess.

Guessability is zxcvbn's estimate (score 0-4; 3 and up is "safely unguessable" against an offline attack on a
slow hash). It knows common passwords, words, names, keyboard patterns, dates and repeats, and is told the
person's own e-mail address, name and workspace, so ``lan@example.com2024`` is refused for Lan.
One rule, used by every form that sets a password and by ``flask create-user``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 128
MIN_SCORE = 3
# zxcvbn's time grows fast with length (a 128-character repeat takes half a second); the first 72
# characters tell whether a password is guessable.
ESTIMATED_LENGTH = 72
LENGTH_RULE = f"Use between {MIN_LENGTH} and {MAX_LENGTH} characters."
TOO_GUESSABLE = "This password is too easy to guess."
DEFAULT_ADVICE = "Add another word or two: uncommon words are better."


def personal_words(*texts: str | None) -> list[str]:
    """The words of an e-mail address, a name or a workspace name, which a password should not lean on."""
    words: list[str] = []
    for text in texts:
        if text:
            text = text.lower()
            words += [text, re.sub(r"\W+", "", text)]  # "Lan Nguyen" is also "lannguyen"
            words += [part for part in re.split(r"\W+", text) if len(part) >= 3]
    return [*words, "readiness"]


def password_problem(password: str, personal: Iterable[str] = ()) -> str | None:
    """Why ``password`` cannot be used, in words for the person choosing it, or None if it can."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH or not password.strip():
        return LENGTH_RULE
    estimate = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=list(personal), max_length=ESTIMATED_LENGTH)
    if estimate["score"] >= MIN_SCORE:
        return None
    feedback = estimate["feedback"]
    warning = feedback.get("warning") or ""
    advice = " ".join(feedback.get("suggestions") or []) or DEFAULT_ADVICE
    return " ".join(part for part in (TOO_GUESSABLE, warning, advice) if part)
