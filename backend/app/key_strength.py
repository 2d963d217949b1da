"""How many guesses a JWT signing key would cost an attacker: an estimate, in bits.

A key made by a machine (`flask gen-secret`, `secrets.token_urlsafe(48)`) costs 2^(6 x length)
guesses. A key a person types does not, however long: `abcdefgh` four times, hex counting, or a
phrase of common words are among an attacker's first guesses. Length alone cannot tell them
apart, so production asks for an estimate of at least 128 bits.

The estimate is the cheapest way to spell the key out of pieces an attacker would guess:

- zxcvbn (Dropbox's password-strength estimator) finds the guessable pieces: words, names and
  common passwords from its frequency lists, keyboard walks, repeats, sequences, dates, each with
  its own guess count;
- counting (`0123...`, `000102...0f10...`, in decimal or hex) is found here: zxcvbn has no such
  pattern;
- a separator seen before (the second `-` of `my-secret-key`) costs 1 bit;
- every other character costs log2 of the key's alphabet (26 for lowercase, +26 uppercase,
  +10 digits, +33 ASCII symbols and space, +128 for anything else).

zxcvbn's own total prices unguessable characters at 10 guesses each (it was made for passwords,
where that is prudent), which would refuse good 32-character keys; summing pieces instead of
multiplying zxcvbn's way also leaves out its penalty for many pieces, which would let a phrase
of common words through.

Random bytes written in an encoding (`secrets.token_hex(16)`, `token_urlsafe(16)`, base64) hold
chance pieces: a date in a run of digits, `dead` or `cafe` in hex. Those cost an attacker who
guesses random keys nothing, yet they lower the estimate: 128 random bits in hex get about 90 to
165. So `worth_bits` also counts what a key's encoding can hold (4 bits per hex character, 6
per base64 one): a key that the estimate prices at half of that or more has no more structure
than chance, and is worth its encoding's bits. Random keys measure about two thirds of their
encoding or more; keys made of guessable pieces (the tests' list) a third or less.

It is an estimate: a key that passes may still be weak (a very long phrase), but a machine-made
key of 128 bits or more, in hex, base64 or base64url, passes.
"""

from __future__ import annotations

import math
import string
from collections.abc import Iterator
from functools import cache

# Characters judged: a key longer than this is as strong as its start, and the estimate's cost
# grows with the square of the length.
JUDGED_CHARS = 128
# Counting shorter than this (e.g. "12") is left to the other pieces.
MIN_COUNTING_CHARS = 4
# How counting may be written: decimal, lower- and upper-case hex, each bare or 2 digits wide.
COUNTING_FORMATS = ("d", "x", "X", "02d", "02x", "02X")
# The encodings random keys are written in, smallest alphabet first, with the bits a character
# of each carries. Trailing "=" is base64 padding, and carries nothing.
ENCODINGS = (
    (frozenset(string.hexdigits), 4),
    (frozenset(string.ascii_letters + string.digits + "+/"), 6),
    (frozenset(string.ascii_letters + string.digits + "-_"), 6),
)
# A key whose estimate is at least this share of its encoding's bits shows only chance pieces.
CHANCE_SHARE = 0.5


def alphabet_size(key: str) -> int:
    """How many characters an attacker trying keys like this one must try at each position."""
    size = 0
    for letters, count in (
        (string.ascii_lowercase, 26),
        (string.ascii_uppercase, 26),
        (string.digits, 10),
    ):
        if any(c in letters for c in key):
            size += count
    if any(c.isascii() and not c.isalnum() for c in key):
        size += 33  # ASCII punctuation and space
    if any(not c.isascii() for c in key):
        size += 128
    return max(size, 2)


def _counting(key: str) -> Iterator[tuple[int, int, float]]:
    """(start, end, bits) of every stretch of counting up by one, e.g. 0a0b0c or 7891011."""
    for start in range(len(key)):
        if key[start] not in string.hexdigits:  # int() would also read a sign or a space
            continue
        for fmt in COUNTING_FORMATS:
            base = 16 if fmt.endswith(("x", "X")) else 10
            for width in (1, 2):
                try:
                    first = int(key[start : start + width], base)
                except ValueError:
                    continue
                end, n = start, first
                while True:
                    text = format(n, fmt)
                    if not key.startswith(text, end):
                        break
                    end, n = end + len(text), n + 1
                if end - start >= MIN_COUNTING_CHARS:
                    # Guess the format and the first number; how far it goes is in the length.
                    bits = math.log2(len(COUNTING_FORMATS)) + math.log2(first + 2)
                    yield start, end, bits


@cache
def estimate_bits(key: str) -> float:
    """The estimated cost of guessing `key`, in bits (see the module's docstring)."""
    # Imported here: zxcvbn loads its word lists (about 14 MB) on first use, only in production.
    from zxcvbn import matching, scoring

    key = key[:JUDGED_CHARS]
    per_char = math.log2(alphabet_size(key))
    pieces: dict[int, list[tuple[int, float]]] = {}  # end index -> [(start, bits)]
    for match in matching.omnimatch(key):
        guesses = scoring.estimate_guesses(match, key)
        pieces.setdefault(match["j"] + 1, []).append((match["i"], math.log2(guesses)))
    for start, end, bits in _counting(key):
        pieces.setdefault(end, []).append((start, bits))

    # cheapest[i]: the cheapest way to spell key[:i] (a shortest path through the pieces).
    cheapest = [0.0] + [math.inf] * len(key)
    for end in range(1, len(key) + 1):
        char = key[end - 1]
        repeated_separator = not char.isalnum() and char in key[: end - 1]
        options = [cheapest[end - 1] + (1.0 if repeated_separator else per_char)]
        options += [cheapest[start] + bits for start, bits in pieces.get(end, [])]
        cheapest[end] = min(options)
    return cheapest[-1]


def encoding_bits(key: str) -> int | None:
    """The bits `key` holds if it is random data in hex, base64 or base64url; None if it is not
    written in one of them."""
    body = key.rstrip("=")
    for alphabet, bits_per_char in ENCODINGS:
        if body and set(body) <= alphabet:
            return len(body) * bits_per_char
    return None


def worth_bits(key: str) -> float:
    """What guessing `key` costs, in bits: the estimate, or its encoding's bits when the estimate
    finds no more than chance structure in it (see the module's docstring)."""
    estimate = estimate_bits(key)
    encoded = encoding_bits(key[:JUDGED_CHARS])
    if encoded is not None and estimate >= CHANCE_SHARE * encoded:
        return max(estimate, encoded)
    return estimate
