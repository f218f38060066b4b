import { Controller, UseFilters, UsePipes } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AuthChangePassword,
  AuthLogin,
  AuthLogout,
  AuthMe,
  AuthPasswordResetConfirm,
  AuthPasswordResetRequest,
  AuthRefresh,
  AuthRegister,
  AuthTwoFactorDisable,
  AuthTwoFactorEnable,
  AuthTwoFactorSetup,
  RpcPatterns,
} from '@trading/contracts';
import { RpcHandler } from '@trading/streams';
import { rpcErrors, rpcValidation } from './rpc-enhancers';
import { LoginService } from '../sessions/login.service';
import { AccountService } from '../users/account.service';
import { PasswordResetService } from '../users/password-reset.service';
import { TwoFactorService } from '../users/two-factor.service';

/** The account patterns the gateway forwards (register, login, sessions, password, 2FA). */
@Controller()
@UseFilters(rpcErrors)
@UsePipes(rpcValidation)
export class AccountsRpcController {
  constructor(
    private readonly accounts: AccountService,
    private readonly logins: LoginService,
    private readonly resets: PasswordResetService,
    private readonly twoFactor: TwoFactorService,
  ) {}

  @RpcHandler(RpcPatterns.AuthRegister)
  register(@Payload() request: AuthRegister.Request): Promise<AuthRegister.Response> {
    return this.accounts.register(request);
  }

  @RpcHandler(RpcPatterns.AuthLogin)
  login(@Payload() request: AuthLogin.Request): Promise<AuthLogin.Response> {
    return this.logins.login(request);
  }

  @RpcHandler(RpcPatterns.AuthRefresh)
  refresh(@Payload() request: AuthRefresh.Request): Promise<AuthRefresh.Response> {
    return this.logins.refresh(request);
  }

  @RpcHandler(RpcPatterns.AuthLogout)
  logout(@Payload() request: AuthLogout.Request): Promise<AuthLogout.Response> {
    return this.logins.logout(request);
  }

  @RpcHandler(RpcPatterns.AuthMe)
  me(@Payload() request: AuthMe.Request): Promise<AuthMe.Response> {
    return this.accounts.me(request.caller);
  }

  @RpcHandler(RpcPatterns.AuthChangePassword)
  changePassword(@Payload() request: AuthChangePassword.Request): Promise<AuthChangePassword.Response> {
    return this.accounts.changePassword(request);
  }

  @RpcHandler(RpcPatterns.AuthPasswordResetRequest)
  requestPasswordReset(@Payload() request: AuthPasswordResetRequest.Request): Promise<AuthPasswordResetRequest.Response> {
    return this.resets.request(request);
  }

  @RpcHandler(RpcPatterns.AuthPasswordResetConfirm)
  confirmPasswordReset(@Payload() request: AuthPasswordResetConfirm.Request): Promise<AuthPasswordResetConfirm.Response> {
    return this.resets.confirm(request);
  }

  @RpcHandler(RpcPatterns.AuthTwoFactorSetup)
  setupTwoFactor(@Payload() request: AuthTwoFactorSetup.Request): Promise<AuthTwoFactorSetup.Response> {
    return this.twoFactor.setup(request);
  }

  @RpcHandler(RpcPatterns.AuthTwoFactorEnable)
  enableTwoFactor(@Payload() request: AuthTwoFactorEnable.Request): Promise<AuthTwoFactorEnable.Response> {
    return this.twoFactor.enable(request);
  }

  @RpcHandler(RpcPatterns.AuthTwoFactorDisable)
  disableTwoFactor(@Payload() request: AuthTwoFactorDisable.Request): Promise<AuthTwoFactorDisable.Response> {
    return this.twoFactor.disable(request);
  }
}
