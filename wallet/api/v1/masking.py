"""How another customer is shown through the API: never their e-mail, phone or balance."""


def masked_name(user) -> str:
    """ "Bob B." from Bob Bello; "b•••@example.com" when they gave no name."""
    first, last = user.first_name.strip(), user.last_name.strip()
    if first:
        return f"{first} {last[0]}." if last else first
    local, _, domain = user.email.partition("@")
    return f"{local[:1]}•••@{domain}"
