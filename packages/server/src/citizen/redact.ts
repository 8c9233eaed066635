/**
 * Personal data out of what the public sees: phone numbers, ID card numbers, e-mail addresses, plate
 * numbers and the caller's own name are masked in the content and the reply before they are shown
 * on the status page or the disclosure list (《个人信息保护法》: publish no more than the purpose needs).
 * The rule itself is the domain's, shared with the analysts' masked views.
 */
export { redactText as redact } from '@liandong/domain';
