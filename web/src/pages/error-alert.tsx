/** A page's or form's error, announced to screen readers; nothing when there is none. */
export function ErrorAlert({ message }: { message: string }) {
  return message ? (
    <p role="alert" class="error">
      {message}
    </p>
  ) : null;
}
