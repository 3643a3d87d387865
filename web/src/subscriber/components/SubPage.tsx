import type { ReactNode } from 'react';
import { NavBar } from 'antd-mobile';
import { useNavigate } from 'react-router';

/** A pushed page: title bar with a back arrow. */
export function SubPage({ title, children, back = '/me' }: { title: string; children: ReactNode; back?: string }) {
  const navigate = useNavigate();
  return (
    <div className="th-subpage">
      <NavBar className="th-navbar" onBack={() => void navigate(back)} backIcon>
        {title}
      </NavBar>
      <div className="th-subpage-body">{children}</div>
    </div>
  );
}
