import { useEffect, useRef } from 'preact/hooks';

/**
 * A modal question (the native <dialog>: focus is kept inside, Escape cancels). It opens on Cancel,
 * so an Enter pressed twice (or held) on the button that asked does not confirm a destructive action.
 */
export function Confirm(props: { question: string; action: string; onYes: () => void; onNo: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
    cancel.current?.focus();
  }, []);
  return (
    <dialog ref={dialog} onClose={props.onNo} aria-labelledby="confirm-question">
      <p id="confirm-question">{props.question}</p>
      <div class="actions">
        <button type="button" class="danger" onClick={props.onYes}>
          {props.action}
        </button>
        <button type="button" ref={cancel} onClick={() => dialog.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
