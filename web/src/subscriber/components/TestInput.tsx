import { useLayoutEffect, useRef } from 'react';
import { Input, type InputProps, type InputRef } from 'antd-mobile';

/**
 * antd-mobile puts `data-*` props on its wrapper div, not on the <input>.
 * Browser tests fill inputs by test id, so this puts `id` and `data-testid`
 * on the native input itself.
 */
export function TestInput({ testId, ...props }: InputProps & { testId: string }) {
  const ref = useRef<InputRef>(null);
  useLayoutEffect(() => {
    ref.current?.nativeElement?.setAttribute('data-testid', testId);
  }, [testId]);
  return <Input {...props} id={testId} ref={ref} />;
}
