import { useEffect, useRef } from 'preact/hooks';

/** A modal question (the native <dialog>: focus is kept inside, Escape cancels). */
export function Confirm(props: { question: string; action: string; onYes: () => void; onNo: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} onClose={props.onNo} aria-labelledby="confirm-question">
      <p id="confirm-question">{props.question}</p>
      <div class="actions">
        <button type="button" class="danger" onClick={props.onYes}>
          {props.action}
        </button>
        <button type="button" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
