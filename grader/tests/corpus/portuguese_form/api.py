import os

from flask import Flask, jsonify, request
from flask_cors import CORS
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required
from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
db = SQLAlchemy(app)
jwt = JWTManager(app)
CORS(app, origins=[os.environ["FRONTEND_URL"]])


class Usuario(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    usuario = db.Column(db.String(60), unique=True, nullable=False)
    senha_hash = db.Column(db.String(255), nullable=False)


with app.app_context():
    db.create_all()


@app.route("/api/cadastro", methods=["POST"])
def cadastro():
    dados = request.get_json()
    if not dados or not dados.get("usuario") or not dados.get("senha"):
        return jsonify(msg="Preencha usuário e senha"), 400
    novo = Usuario(usuario=dados["usuario"], senha_hash=generate_password_hash(dados["senha"]))
    db.session.add(novo)
    db.session.commit()
    return jsonify(msg="Cadastro feito"), 201


# o formulário manda os dados como form (application/x-www-form-urlencoded)
@app.route("/api/login", methods=["POST"])
def login():
    usuario = request.form.get("usuario")
    senha = request.form.get("senha")
    if not usuario or not senha:
        return jsonify(msg="Preencha usuário e senha"), 400
    user = Usuario.query.filter_by(usuario=usuario).first()
    if user is None or not check_password_hash(user.senha_hash, senha):
        return jsonify(msg="Usuário ou senha inválidos"), 401
    return jsonify(token=create_access_token(identity=str(user.id)))


@app.route("/api/perfil")
@jwt_required()
def perfil():
    user = db.session.get(Usuario, int(get_jwt_identity()))
    return jsonify(id=user.id, usuario=user.usuario)
