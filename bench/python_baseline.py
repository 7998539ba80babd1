"""The baseline: Python's standard mailbox + email (policy=default) on the same mbox, doing the
work disclose's extract+normalize must do at the least: each message's bytes hashed (SHA-256,
for the chain of custody), its headers read and every leaf part decoded (transfer encoding and
charset), not only the body the email package would pick for display."""
import email
import email.policy
import hashlib
import mailbox
import sys

n = 0
chars = 0
parts = 0
box = mailbox.mbox(sys.argv[1], create=False)
for key in box.iterkeys():
    raw = box.get_bytes(key)
    hashlib.sha256(raw).hexdigest()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    n += 1
    _ = (msg["From"], msg["To"], msg["Subject"], msg["Date"], msg["Message-ID"])
    for part in msg.walk():
        if part.is_multipart():
            continue
        parts += 1
        try:
            content = part.get_content()
        except (LookupError, ValueError):
            # An unknown charset or a broken encoding: the bytes are still decoded.
            content = part.get_payload(decode=True)
        if isinstance(content, str):
            chars += len(content)
print(n, parts, chars)
