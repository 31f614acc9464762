import { LoginPage } from '../../components/LoginPage.tsx';

export default function OfficeLogin() {
  return <LoginPage area="office" />;
}
