"""The baseline: Python's standard mailbox + email parsing the same mbox, doing the same work
as disclose's extract+normalize (headers, body text, attachments decoded)."""
import email
import email.policy
import mailbox
import sys

n = 0
chars = 0
for msg in mailbox.mbox(sys.argv[1], factory=lambda f: email.message_from_binary_file(f, policy=email.policy.default)):
    n += 1
    _ = (msg["From"], msg["To"], msg["Subject"], msg["Date"], msg["Message-ID"])
    b = msg.get_body(preferencelist=("plain", "html"))
    if b is not None:
        chars += len(b.get_content())
    for a in msg.iter_attachments():
        _ = a.get_content()
print(n, chars)
