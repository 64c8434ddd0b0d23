"""Small pieces every public form uses."""


def required(message) -> dict:
    """`error_messages` that say, in the visitor's language, what to fill in."""
    return {"required": message}
