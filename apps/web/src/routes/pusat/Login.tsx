import { LoginPage } from '../../components/LoginPage.tsx';

export default function CentreLogin() {
  return <LoginPage area="centre" />;
}
