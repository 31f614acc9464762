import { LoginPage } from '../../components/LoginPage.tsx';

export default function HeadLogin() {
  return <LoginPage area="head" />;
}
