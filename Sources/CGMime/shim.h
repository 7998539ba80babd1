#include <gmime/gmime.h>

/* GObject type-check macros are not importable into Swift; these tiny inline
   helpers are the whole C surface the Swift side needs beyond the plain API. */
static inline int disclose_is_message_part(GMimeObject *o) { return GMIME_IS_MESSAGE_PART(o); }
static inline int disclose_is_multipart(GMimeObject *o) { return GMIME_IS_MULTIPART(o); }
static inline int disclose_is_part(GMimeObject *o) { return GMIME_IS_PART(o); }
static inline int disclose_is_text_part(GMimeObject *o) { return GMIME_IS_TEXT_PART(o); }
static inline int disclose_is_message_partial(GMimeObject *o) { return GMIME_IS_MESSAGE_PARTIAL(o); }
static inline GMimeMultipart *disclose_as_multipart(GMimeObject *o) { return GMIME_MULTIPART(o); }
static inline GMimePart *disclose_as_part(GMimeObject *o) { return GMIME_PART(o); }
static inline GMimeMessagePart *disclose_as_message_part(GMimeObject *o) { return GMIME_MESSAGE_PART(o); }
static inline GMimeTextPart *disclose_as_text_part(GMimeObject *o) { return GMIME_TEXT_PART(o); }
static inline GMimeObject *disclose_message_as_object(GMimeMessage *m) { return GMIME_OBJECT(m); }
static inline void disclose_unref(void *p) { if (p) g_object_unref(p); }

/* InternetAddress subclasses are told apart only by GType checks, which are macros. */
static inline int disclose_is_mailbox(InternetAddress *a) { return INTERNET_ADDRESS_IS_MAILBOX(a); }
static inline int disclose_is_group(InternetAddress *a) { return INTERNET_ADDRESS_IS_GROUP(a); }
static inline InternetAddressMailbox *disclose_as_mailbox(InternetAddress *a) { return INTERNET_ADDRESS_MAILBOX(a); }
static inline InternetAddressGroup *disclose_as_group(InternetAddress *a) { return INTERNET_ADDRESS_GROUP(a); }
static inline GMimeObject *disclose_part_as_object(GMimePart *p) { return GMIME_OBJECT(p); }
