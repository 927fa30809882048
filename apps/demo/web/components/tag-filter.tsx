import { type FormEvent, useState } from 'react';

export interface TagFilterValue {
  key: string;
  value: string;
}

/** `tag:<key>=<value>`, the DescribeInstances filter; the live stream takes the same filter. */
export function TagFilter({
  value,
  onChange,
}: {
  value: TagFilterValue | undefined;
  onChange(v: TagFilterValue | undefined): void;
}) {
  const [key, setKey] = useState(value?.key ?? 'Name');
  const [text, setText] = useState(value?.value ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onChange(text.trim() ? { key: key.trim(), value: text.trim() } : undefined);
  };
  return (
    <form className="row-form" onSubmit={submit} aria-label="tag filter">
      <label>
        tag{' '}
        <input value={key} onChange={(e) => setKey(e.target.value)} size={8} aria-label="filter tag key" />
      </label>
      <label>
        ={' '}
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          size={10}
          aria-label="filter tag value"
        />
      </label>
      <button type="submit">Filter</button>
      {value ? (
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setText('');
            onChange(undefined);
          }}
        >
          Clear
        </button>
      ) : null}
    </form>
  );
}
